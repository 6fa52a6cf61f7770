namespace Soci.Actors.Snapshotter;

/// <summary>
/// One snapshot as containerd sees it. <see cref="Id"/> is ours: it names the snapshot's directory and survives the
/// active → committed rename.
/// </summary>
public sealed record SnapshotInfo(
    long Id,
    string Name,
    string Parent,
    SnapshotKind Kind,
    IReadOnlyDictionary<string, string> Labels,
    DateTime Created,
    DateTime Updated);
