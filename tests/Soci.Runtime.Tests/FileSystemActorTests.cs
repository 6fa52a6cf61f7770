using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Logging.Abstractions;
using Soci.Actors.Registry;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Content;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Mounts;
using Soci.Actors.Snapshotter.Mounts;
using Soci.Actors.Snapshotter.Remote;
using Soci.Runtime.Tests.Support;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Faults;

namespace Soci.Runtime.Tests;

public sealed class FileSystemActorTests(RegistryFixture fixture) : TestKit(RuntimeConfiguration.Reference), IClassFixture<RegistryFixture>
{
    private static readonly TimeSpan MountTimeout = RuntimeHarness.MountTimeout;

    [Fact]
    public async Task FileSystemActor_fetches_the_SOCI_index_once_for_concurrent_mounts_of_one_image()
    {
        var layers = new[] { TestLayer.Create(11, 1, 200_000), TestLayer.Create(12, 1, 200_000), TestLayer.Create(13, 1, 200_000) };
        var image = await TestImage.PushAsync(fixture.Registry, "fs-once", layers);
        await using var proxy = FaultProxy.Start(fixture.Registry.CreateClient());
        await using var directory = TestDirectory.Create("runtime-fs-once");
        using var registry = new RegistryClient();
        var fileSystem = StartRegistryFileSystem(registry, directory);
        var reference = image.Reference.Replace(fixture.Registry.Host, proxy.Host, StringComparison.Ordinal);

        // Two mounts per layer, all sent before any answer: every one of them needs the image's SOCI context.
        var mounts = layers.SelectMany((layer, i) => new[] { (Layer: layer, Name: $"{i}-a"), (Layer: layer, Name: $"{i}-b") })
            .Select(mount => (mount.Layer, MountPoint: directory.Sub(Path.Combine("mnt", mount.Name)), Probe: CreateTestProbe()))
            .ToList();
        foreach (var mount in mounts)
        {
            fileSystem.Tell(new MountLayer(mount.MountPoint, image.LabelsFor(mount.Layer, reference)), mount.Probe);
        }

        foreach (var mount in mounts)
        {
            mount.Probe.ExpectMsg<MountSucceeded>(MountTimeout);
            var (name, content) = mount.Layer.Files.First();
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, name)));
        }

        Assert.Single(proxy.Served, request => request.Method == "GET" && request.Path.EndsWith("/manifests/" + image.IndexDigest, StringComparison.Ordinal));
        foreach (var layer in layers)
        {
            Assert.Single(proxy.Served, request => request.Method == "GET" && request.Path.EndsWith("/blobs/" + layer.ZtocDigest, StringComparison.Ordinal));
        }

        foreach (var mount in mounts)
        {
            fileSystem.Tell(new UnmountLayer(mount.MountPoint));
            ExpectMsg<Unmounted>(MountTimeout);
            Assert.False(MountInfo.IsMountPoint(mount.MountPoint));
        }

        await fileSystem.GracefulStop(MountTimeout);
    }

    [Fact]
    public async Task FileSystemActor_answers_later_mounts_of_an_image_without_index_from_the_cached_failure()
    {
        var layers = new[] { TestLayer.Create(14, 1, 50_000), TestLayer.Create(15, 1, 50_000) };
        var image = await TestImage.PushAsync(fixture.Registry, "fs-no-index", layers, withIndex: false);
        await using var proxy = FaultProxy.Start(fixture.Registry.CreateClient());
        await using var directory = TestDirectory.Create("runtime-fs-no-index");
        using var registry = new RegistryClient();
        var fileSystem = StartRegistryFileSystem(registry, directory);
        var reference = image.Reference.Replace(fixture.Registry.Host, proxy.Host, StringComparison.Ordinal);

        var first = directory.Sub("mnt/0");
        fileSystem.Tell(new MountLayer(first, image.LabelsFor(layers[0], reference)));
        var failed = ExpectMsg<MountFailed>(MountTimeout);
        Assert.Equal(RemoteMountFailure.NoValidSociIndex, failed.Failure);
        Assert.Contains("no SOCI index found", failed.Reason);
        var requests = proxy.RequestsReceived;
        Assert.True(requests > 0);

        var second = directory.Sub("mnt/1");
        fileSystem.Tell(new MountLayer(second, image.LabelsFor(layers[1], reference)));
        var again = ExpectMsg<MountFailed>();
        Assert.Equal(RemoteMountFailure.NoValidSociIndex, again.Failure);
        Assert.Equal(failed.Reason, again.Reason);
        Assert.Equal(requests, proxy.RequestsReceived);

        // A failed mount leaves nothing registered or mounted behind.
        fileSystem.Tell(new CheckMount(first));
        Assert.Contains("not registered", ExpectMsg<CheckFailed>().Reason);
        Assert.False(MountInfo.IsMountPoint(first));
        await fileSystem.GracefulStop(MountTimeout);
    }

    [Fact]
    public async Task FileSystemActor_fails_a_mount_whose_layer_does_not_resolve_in_time_and_keeps_the_late_layer_cached()
    {
        var layer = TestLayer.Create(16, 1, 100_000);
        var gate = new GatedReads().Header();
        await using var runtime = RuntimeHarness.Start(this, "runtime-mount-timeout", [layer], "soci.mount_timeout_sec = 1", gate.Wrap);
        var mountPoint = runtime.MountPoint("0");

        runtime.FileSystem.Tell(new MountLayer(mountPoint, runtime.Image.LabelsFor(layer)));
        var failed = ExpectMsg<MountFailed>(MountTimeout);
        Assert.Equal(RemoteMountFailure.Failed, failed.Failure);
        Assert.Equal($"timeout waiting for layer {layer.Digest} to resolve", failed.Reason);
        Assert.Equal(1, gate.Blocked);
        Assert.False(MountInfo.IsMountPoint(mountPoint));

        // The resolution goes on after the timeout; its layer lands in the cache, unreferenced.
        gate.Open();
        AwaitAssert(() => Assert.Equal(new LayerCacheStatus(1, 1, 0, 0), runtime.CacheStatus()), MountTimeout);

        // The snapshotter's retry at the same mount point is served from the cache.
        runtime.Mount("0", layer);
        Assert.Equal(1, runtime.Layers.Created);
        var (name, content) = layer.Files.First();
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(mountPoint, name)));
        runtime.Unmount(mountPoint);
        AwaitAssert(() => Assert.Equal(new LayerCacheStatus(0, 0, 0, 0), runtime.CacheStatus()), MountTimeout);
    }

    [Fact]
    public async Task FileSystemActor_reports_unknown_mount_points_on_Check_and_Unmount()
    {
        await using var runtime = RuntimeHarness.Start(this, "runtime-unknown", [TestLayer.Create(17, 1, 10_000)]);
        var mountPoint = runtime.MountPoint("never-mounted");

        runtime.FileSystem.Tell(new CheckMount(mountPoint));
        Assert.Equal($"layer at {mountPoint} not registered", ExpectMsg<CheckFailed>().Reason);
        runtime.FileSystem.Tell(new UnmountLayer(mountPoint));
        Assert.Equal($"specified path \"{mountPoint}\" isn't a mountpoint", ExpectMsg<UnmountFailed>().Reason);
    }

    [Fact]
    public async Task FileSystemActor_refuses_a_second_mount_on_a_busy_mount_point_and_keeps_the_first()
    {
        var layer = TestLayer.Create(18, 1, 10_000);
        await using var runtime = RuntimeHarness.Start(this, "runtime-busy", [layer]);
        var mountPoint = runtime.Mount("0", layer);

        runtime.FileSystem.Tell(new MountLayer(mountPoint, runtime.Image.LabelsFor(layer)));
        Assert.Contains("already mounted", ExpectMsg<MountFailed>().Reason);
        runtime.FileSystem.Tell(new CheckMount(mountPoint));
        ExpectMsg<CheckSucceeded>(MountTimeout);
        runtime.Unmount(mountPoint);
    }

    private IActorRef StartRegistryFileSystem(RegistryClient registry, TestDirectory directory)
    {
        var settings = RuntimeSettings.Default;
        var store = new LocalContentStore(directory.Sub("content"));
        return Sys.ActorOf(FileSystemActor.Props(
            new RegistrySociArtifactFetcher(registry, store, settings, NullLogger.Instance),
            new RegistryLayerFactory(registry, store, new PreparedLayerStore(directory.Sub("layers"), NullLogger.Instance), directory.Sub("fscache"), settings),
            settings));
    }
}
