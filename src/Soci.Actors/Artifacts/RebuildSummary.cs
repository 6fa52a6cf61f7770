namespace Soci.Actors.Artifacts;

/// <summary>What <c>rebuild-db</c> changed: entries dropped because their blob is gone, entries rediscovered.</summary>
public sealed record RebuildSummary(int Removed, int Added);
