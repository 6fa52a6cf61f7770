using Soci.Actors.Snapshotter.Mounts;

namespace Soci.Actors.Snapshotter.Remote;

/// <summary>
/// The remote filesystem of a build without the lazy-loading runtime: it declines every remote mount as "no valid
/// SOCI index", so Prepare defers each layer to containerd (which pulls and unpacks it), and it cannot unpack
/// locally either. It still unmounts, so snapshots left mounted by another build can be removed.
/// </summary>
public sealed class LazyLoadingUnavailable : IRemoteFileSystem
{
    public const string Reason = "lazy loading is not available: no remote layer filesystem is wired into this daemon";

    public Task MountAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation) =>
        throw new RemoteMountException(RemoteMountFailure.NoValidSociIndex, Reason);

    public Task MountLocalAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation) =>
        throw new RemoteMountException(RemoteMountFailure.Failed, Reason);

    public Task CheckAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation) =>
        throw new RemoteMountException(RemoteMountFailure.Failed, Reason);

    public Task UnmountAsync(string mountPoint, CancellationToken cancellation)
    {
        if (MountInfo.IsMountPoint(mountPoint))
        {
            LinuxNative.Unmount(mountPoint, LinuxNative.MntForce | LinuxNative.MntDetach);
        }

        return Task.CompletedTask;
    }
}
