namespace Soci.Actors.Snapshotter;

/// <summary>containerd's snapshot kinds; the numbers are the ones stored in the metadata database.</summary>
public enum SnapshotKind
{
    View = 1,
    Active = 2,
    Committed = 3,
}
