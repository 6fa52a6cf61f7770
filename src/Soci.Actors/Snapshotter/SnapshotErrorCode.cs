namespace Soci.Actors.Snapshotter;

/// <summary>The containerd error classes (errdefs) a snapshot operation can fail with.</summary>
public enum SnapshotErrorCode
{
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    Unavailable,
}
