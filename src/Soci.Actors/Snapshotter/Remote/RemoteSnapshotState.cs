namespace Soci.Actors.Snapshotter.Remote;

/// <summary>Where a remote snapshot's mount stands in this daemon's lifetime.</summary>
public enum RemoteSnapshotPhase
{
    Mounted,
    Restoring,
    RestoreFailed,
}

/// <summary>The state of one remote snapshot's mount; <see cref="Reason"/> says why it is not mounted.</summary>
public sealed record RemoteSnapshotState(RemoteSnapshotPhase Phase, string Reason)
{
    public static RemoteSnapshotState Mounted { get; } = new(RemoteSnapshotPhase.Mounted, "");

    public static RemoteSnapshotState Restoring { get; } =
        new(RemoteSnapshotPhase.Restoring, "its remote mount is still being restored after a daemon restart");
}
