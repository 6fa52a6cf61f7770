using System.Collections.Concurrent;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Snapshotter.Tests;

/// <summary>
/// A remote filesystem double: "mounts" by writing a marker file into the mount point (so the snapshot's directory
/// visibly holds the layer), or fails with the configured reason; records every call.
/// </summary>
public sealed class FakeRemoteFileSystem : IRemoteFileSystem
{
    public const string MarkerFile = "remote-layer";

    public RemoteMountFailure? MountFails { get; set; }

    public RemoteMountFailure? LocalFails { get; set; }

    public RemoteMountFailure? CheckFails { get; set; }

    /// <summary>When set, MountAsync waits for it (a slow or unreachable registry).</summary>
    public TaskCompletionSource? MountGate { get; set; }

    public ConcurrentQueue<(string Call, string MountPoint, IReadOnlyDictionary<string, string> Labels)> Calls { get; } = new();

    public IEnumerable<string> CallNames => Calls.Select(call => call.Call);

    public async Task MountAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        Calls.Enqueue(("mount", mountPoint, labels));
        if (MountGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellation);
        }

        if (MountFails is { } failure)
        {
            throw new RemoteMountException(failure, $"fake mount failure {failure}");
        }

        await File.WriteAllTextAsync(Path.Combine(mountPoint, MarkerFile), "remote", cancellation);
    }

    public async Task MountLocalAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        Calls.Enqueue(("local", mountPoint, labels));
        if (LocalFails is { } failure)
        {
            throw new RemoteMountException(failure, $"fake local failure {failure}");
        }

        await File.WriteAllTextAsync(Path.Combine(mountPoint, "unpacked"), "local", cancellation);
    }

    public Task CheckAsync(string mountPoint, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        Calls.Enqueue(("check", mountPoint, labels));
        return CheckFails is { } failure
            ? Task.FromException(new RemoteMountException(failure, "fake check failure"))
            : Task.CompletedTask;
    }

    public Task UnmountAsync(string mountPoint, CancellationToken cancellation)
    {
        Calls.Enqueue(("unmount", mountPoint, new Dictionary<string, string>()));
        return Task.CompletedTask;
    }
}
