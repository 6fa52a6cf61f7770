using Microsoft.Extensions.Logging.Abstractions;
using Soci.Actors.Snapshotter;
using Soci.Actors.Snapshotter.Remote;
using Soci.TestEnvironment;

namespace Soci.Snapshotter.Tests;

/// <summary>An in-process snapshotter on a test directory, with a remote filesystem double.</summary>
public sealed class SnapshotterHarness : IAsyncDisposable
{
    public const string Namespace = "soci-test";
    private static readonly Dictionary<string, string> NoLabels = [];

    private SnapshotterHarness(TestDirectory directory, FakeRemoteFileSystem remote, SnapshotterOptions options)
    {
        Directory = directory;
        Remote = remote;
        Options = options;
        Root = directory.Sub("snapshotter");
        Snapshotter = OverlaySnapshotter.Open(Root, remote, options, NullLogger.Instance);
    }

    public TestDirectory Directory { get; }

    public FakeRemoteFileSystem Remote { get; }

    public SnapshotterOptions Options { get; }

    public string Root { get; }

    public OverlaySnapshotter Snapshotter { get; private set; }

    public string SnapshotsPath => Path.Combine(Root, "snapshots");

    public static SnapshotterHarness Create(string purpose, SnapshotterOptions? options = null) =>
        new(TestDirectory.Create(purpose), new FakeRemoteFileSystem(), options ?? SnapshotterOptions.Default);

    /// <summary>Closes and opens the snapshotter on the same root, as a daemon restart does.</summary>
    public async Task ReopenAsync(FakeRemoteFileSystem remote)
    {
        await Snapshotter.CloseAsync(unmountRemoteLayers: false);
        Snapshotter = OverlaySnapshotter.Open(Root, remote, Options, NullLogger.Instance);
    }

    public Task PrepareAsync(string key, string parent = "", IReadOnlyDictionary<string, string>? labels = null) =>
        Snapshotter.PrepareAsync(key, parent, labels ?? NoLabels, Namespace, CancellationToken.None);

    public async Task CommittedAsync(string name, string parent = "")
    {
        await PrepareAsync(name + "-active", parent);
        await Snapshotter.CommitAsync(name, name + "-active", NoLabels, CancellationToken.None);
    }

    /// <summary>Names of snapshot directories on disk, sorted.</summary>
    public IReadOnlyList<string> DirectoryNames() =>
        System.IO.Directory.GetDirectories(SnapshotsPath).Select(Path.GetFileName).OfType<string>().Order().ToList();

    public IReadOnlyList<string> Names() => Snapshotter.List([]).Select(info => info.Name).Order().ToList();

    public async ValueTask DisposeAsync()
    {
        await Snapshotter.CloseAsync(unmountRemoteLayers: false);
        await Directory.DisposeAsync();
    }
}
