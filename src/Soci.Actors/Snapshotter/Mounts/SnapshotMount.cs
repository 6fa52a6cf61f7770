namespace Soci.Actors.Snapshotter.Mounts;

/// <summary>A mount containerd performs for a snapshot (containerd.types.Mount without a target).</summary>
public sealed record SnapshotMount(string Type, string Source, IReadOnlyList<string> Options);
