namespace Soci.Actors.Snapshotter;

/// <summary>A snapshot operation refused; <see cref="Code"/> is what containerd sees (its errdefs class).</summary>
public sealed class SnapshotException : Exception
{
    public SnapshotException(SnapshotErrorCode code, string message)
        : base(message) => Code = code;

    public SnapshotException(SnapshotErrorCode code, string message, Exception inner)
        : base(message, inner) => Code = code;

    public SnapshotErrorCode Code { get; }

    public static SnapshotException NotFound(string message) => new(SnapshotErrorCode.NotFound, message);

    public static SnapshotException AlreadyExists(string message) => new(SnapshotErrorCode.AlreadyExists, message);

    public static SnapshotException FailedPrecondition(string message) => new(SnapshotErrorCode.FailedPrecondition, message);

    public static SnapshotException InvalidArgument(string message) => new(SnapshotErrorCode.InvalidArgument, message);
}
