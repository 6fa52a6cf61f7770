using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Logging.Abstractions;
using Soci.Actors.Registry;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Content;
using Soci.Actors.Runtime.Contexts;
using Soci.Runtime.Tests.Support;
using Soci.TestEnvironment.Faults;

namespace Soci.Runtime.Tests;

public sealed class SociContextActorTests(RegistryFixture fixture) : TestKit(RuntimeConfiguration.Reference), IClassFixture<RegistryFixture>
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SociContextActor_fetches_the_index_and_ztocs_once_for_concurrent_mounts_of_one_image()
    {
        var image = await TestImage.PushAsync(fixture.Registry, "context-once", [TestLayer.Create(1, 1, 100_000), TestLayer.Create(2, 1, 100_000)]);
        await using var proxy = FaultProxy.Start(fixture.Registry.CreateClient());
        var store = new LocalContentStore(fixture.Directory.Sub($"content-{Guid.NewGuid():N}"));
        using var registry = new RegistryClient();
        var context = Sys.ActorOf(SociContextActor.Props(new RegistrySociArtifactFetcher(registry, store, RuntimeSettings.Default, NullLogger.Instance)));
        var source = ImageSource.FromLabels(image.LabelsFor(image.Layers[0], image.Reference.Replace(fixture.Registry.Host, proxy.Host)));

        var mounts = Enumerable.Range(0, 8).Select(_ => CreateTestProbe()).ToList();
        foreach (var mount in mounts)
        {
            context.Tell(new GetSociContext(source), mount);
        }

        foreach (var mount in mounts)
        {
            var ready = mount.ExpectMsg<SociContextReady>(FetchTimeout);
            Assert.Equal(image.IndexDigest, ready.Context.IndexDigest);
            Assert.Equal(image.Layers.Select(layer => layer.Digest).Order(), ready.Context.Ztocs.Keys.Order());
        }

        Assert.Single(proxy.Served, request => request.Method == "GET" && request.Path.EndsWith("/manifests/" + image.IndexDigest, StringComparison.Ordinal));
        foreach (var layer in image.Layers)
        {
            Assert.Single(proxy.Served, request => request.Method == "GET" && request.Path.EndsWith("/blobs/" + layer.ZtocDigest, StringComparison.Ordinal));
            Assert.Equal(layer.ZtocBytes, await File.ReadAllBytesAsync(store.PathOf(layer.ZtocDigest)));
        }

        Assert.NotNull(await store.TryReadAsync(image.IndexDigest!, CancellationToken.None));
    }

    [Fact]
    public async Task SociContextActor_caches_a_failed_index_discovery_and_answers_later_mounts_without_the_registry()
    {
        var image = await TestImage.PushAsync(fixture.Registry, "context-no-index", [TestLayer.Create(3, 1, 50_000)], withIndex: false);
        await using var proxy = FaultProxy.Start(fixture.Registry.CreateClient());
        using var registry = new RegistryClient();
        var store = new LocalContentStore(fixture.Directory.Sub($"content-{Guid.NewGuid():N}"));
        var context = Sys.ActorOf(SociContextActor.Props(new RegistrySociArtifactFetcher(registry, store, RuntimeSettings.Default, NullLogger.Instance)));
        var source = ImageSource.FromLabels(image.LabelsFor(image.Layers[0], image.Reference.Replace(fixture.Registry.Host, proxy.Host)));

        context.Tell(new GetSociContext(source));
        var first = ExpectMsg<SociContextFailed>(FetchTimeout);
        Assert.Contains("no SOCI index found", first.Reason);
        var requestsAfterFirst = proxy.RequestsReceived;
        Assert.True(requestsAfterFirst > 0);

        context.Tell(new GetSociContext(source));
        var second = ExpectMsg<SociContextFailed>();
        Assert.Equal(first.Reason, second.Reason);
        Assert.Equal(requestsAfterFirst, proxy.RequestsReceived);
    }

    [Fact]
    public async Task SociContextActor_fails_when_the_index_data_was_modified()
    {
        var layer = TestLayer.Create(4, 1, 50_000);
        var image = await TestImage.PushAsync(fixture.Registry, "context-modified", [layer]);
        using var registry = new RegistryClient();
        var store = new LocalContentStore(fixture.Directory.Sub($"content-{Guid.NewGuid():N}"));
        var context = Sys.ActorOf(SociContextActor.Props(new RegistrySociArtifactFetcher(registry, store, RuntimeSettings.Default, NullLogger.Instance)));
        var labels = image.LabelsFor(layer);
        // An index digest the registry serves different bytes for cannot be found or verified.
        labels[Soci.Actors.Snapshotter.SnapshotLabels.SociIndexDigest] = ContentDigest.Of("not the index"u8);

        context.Tell(new GetSociContext(ImageSource.FromLabels(labels)));
        var failed = ExpectMsg<SociContextFailed>(FetchTimeout);
        Assert.Contains("unable to fetch SOCI artifacts", failed.Reason);
    }
}
