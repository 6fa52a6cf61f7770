namespace Soci.Actors.Push;

/// <summary>How <c>soci push</c> pushes one v1 SOCI index (cli.md §4).</summary>
public sealed record SociIndexPushOptions
{
    public const int DefaultMaxConcurrentUploads = 3;

    public ExistingIndexPolicy ExistingIndex { get; init; } = ExistingIndexPolicy.Warn;

    public int MaxConcurrentUploads { get; init; } = DefaultMaxConcurrentUploads;

    /// <summary>Print only the pushed index digest (and warnings).</summary>
    public bool Quiet { get; init; }
}
