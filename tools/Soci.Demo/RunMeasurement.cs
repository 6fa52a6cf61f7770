namespace Soci.Demo;

/// <summary>One start of the image: the time from the pull command to the workload's ready line, and the blob
/// bytes the registry served meanwhile.</summary>
public sealed record RunMeasurement(RunKind Kind, TimeSpan Pull, TimeSpan ToReady, long RegistryBytes, string ReadyLine)
{
    public override string ToString() =>
        $"{Kind,-9} pull {Pull.TotalSeconds,5:F1}s  ready {ToReady.TotalSeconds,5:F1}s  registry {RegistryBytes / 1e6,7:F1} MB";
}
