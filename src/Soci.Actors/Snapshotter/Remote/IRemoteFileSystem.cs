namespace Soci.Actors.Snapshotter.Remote;

/// <summary>
/// The lazily loading layer filesystem the snapshotter delegates to (snapshotter.md §6, §8; upstream
/// <c>fs.FileSystem</c>). Mount points are snapshot upper directories; labels are the snapshot's labels, with the
/// cri.* image labels filled in (<see cref="RemoteLayerLabels"/>).
/// </summary>
public interface IRemoteFileSystem
{
    /// <summary>Mounts the layer lazily at <paramref name="mountPoint"/>; throws <see cref="RemoteMountException"/> when it cannot.</summary>
    Task MountAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation);

    /// <summary>Unpacks the layer into <paramref name="mountPoint"/> (a plain directory) instead of mounting it.</summary>
    Task MountLocalAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation);

    /// <summary>Throws <see cref="RemoteMountException"/> if the layer mounted at <paramref name="mountPoint"/> cannot serve reads.</summary>
    Task CheckAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation);

    /// <summary>Unmounts and forgets the layer mounted at <paramref name="mountPoint"/>.</summary>
    Task UnmountAsync(string mountPoint, CancellationToken cancellation);
}
