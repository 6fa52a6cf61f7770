namespace Soci.Actors.Snapshotter.Remote;

public sealed class RemoteMountException : Exception
{
    public RemoteMountException(RemoteMountFailure failure, string message)
        : base(message) => Failure = failure;

    public RemoteMountException(RemoteMountFailure failure, string message, Exception inner)
        : base(message, inner) => Failure = failure;

    public RemoteMountFailure Failure { get; }
}
