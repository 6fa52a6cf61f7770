namespace Soci.Runtime.Tests.Support;

/// <summary>Open file and thread counts are process-wide: the tests that measure them run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCounts
{
    public const string Name = "process-wide counts";
}
