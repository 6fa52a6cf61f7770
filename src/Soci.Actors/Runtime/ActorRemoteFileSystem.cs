using Akka.Actor;
using Soci.Actors.Runtime.Local;
using Soci.Actors.Runtime.Mounts;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Runtime;

/// <summary>
/// The snapshotter's <see cref="IRemoteFileSystem"/> backed by the <see cref="FileSystemActor"/>: each call is one
/// ask, and the answer record becomes a return or a <see cref="RemoteMountException"/>. Local preparation needs no
/// actor: it is one download and unpack, done by <paramref name="localUnpacker"/> when there is one.
/// </summary>
public sealed class ActorRemoteFileSystem(
    Func<CancellationToken, Task<IActorRef>> fileSystem, TimeSpan askTimeout, RegistryLayerUnpacker? localUnpacker = null) : IRemoteFileSystem
{
    public ActorRemoteFileSystem(IActorRef fileSystem, TimeSpan askTimeout)
        : this(_ => Task.FromResult(fileSystem), askTimeout)
    {
    }

    public const string LocalUnpackUnavailable = "local unpack of a layer is not configured";

    public async Task MountAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        var answer = await AskAsync(new MountLayer(mountPoint, new Dictionary<string, string>(labels)), cancellation);
        switch (answer)
        {
            case MountSucceeded:
                return;
            case MountFailed failed:
                throw new RemoteMountException(failed.Failure, failed.Reason);
            default:
                throw Unexpected(answer);
        }
    }

    /// <summary>Unpacks the layer locally; without an unpacker it declines, and Prepare defers the layer to containerd.</summary>
    public Task MountLocalAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation) =>
        localUnpacker?.UnpackAsync(mountPoint, labels, cancellation)
        ?? throw new RemoteMountException(RemoteMountFailure.Failed, LocalUnpackUnavailable);

    public async Task CheckAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        var answer = await AskAsync(new CheckMount(mountPoint), cancellation);
        switch (answer)
        {
            case CheckSucceeded:
                return;
            case CheckFailed failed:
                throw new RemoteMountException(RemoteMountFailure.Failed, failed.Reason);
            default:
                throw Unexpected(answer);
        }
    }

    public async Task UnmountAsync(string mountPoint, CancellationToken cancellation)
    {
        var answer = await AskAsync(new UnmountLayer(mountPoint), cancellation);
        switch (answer)
        {
            case Unmounted:
                return;
            case UnmountFailed failed:
                throw new RemoteMountException(RemoteMountFailure.Failed, failed.Reason);
            default:
                throw Unexpected(answer);
        }
    }

    private async Task<object> AskAsync(ISociMessage message, CancellationToken cancellation)
    {
        try
        {
            // The actor system starts with the host; a call made before (a restore at startup) waits for it.
            var actor = await fileSystem(cancellation).ConfigureAwait(false);
            return await actor.Ask<object>(message, askTimeout, cancellation).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new RemoteMountException(RemoteMountFailure.Failed, $"the runtime did not answer {message.GetType().Name} within {askTimeout}");
        }
    }

    private static InvalidOperationException Unexpected(object answer) =>
        new($"the runtime answered with an unexpected {answer.GetType().Name}");
}
