using System.Diagnostics;
using Akka.TestKit.Xunit2;
using Soci.Actors.Registry;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Background;
using Soci.Actors.Snapshotter;
using Soci.Runtime.Tests.Support;

namespace Soci.Runtime.Tests;

public sealed class BackgroundFetcherActorTests() : TestKit(RuntimeConfiguration.Reference)
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task BackgroundFetcher_stays_silent_after_a_mount_and_then_fetches_every_layer_of_the_image()
    {
        var layers = new[] { TestLayer.Create(21), TestLayer.Create(22) };
        await using var runtime = RuntimeHarness.Start(this, "runtime-background", layers,
            $"soci.background_fetch {{ silence_period_msec = {Silence.TotalMilliseconds}, fetch_period_msec = 10 }}");
        var fetched = CreateTestProbe();
        Sys.EventStream.Subscribe(fetched, typeof(LayerFullyFetched));

        var mounted = Stopwatch.StartNew();
        runtime.Mount("0", layers[0]);
        var atMount = runtime.BackgroundStatus();
        Assert.True(atMount.Paused);

        // Both layers (the mounted one and its pre-resolved sibling) are queued, but nothing moves while silent.
        // (Spans may be fetched between the layer's resolution and its mount, as upstream does, and the one in flight
        // when the silence starts completes.)
        fetched.ExpectNoMsg(Silence / 2);
        var silent = runtime.BackgroundStatus();
        Assert.True(silent.Paused);
        Assert.InRange(silent.SpansFetched, atMount.SpansFetched, atMount.SpansFetched + 1);
        Assert.Equal(2, silent.Queued);

        var done = new[] { fetched.ExpectMsg<LayerFullyFetched>(TimeSpan.FromSeconds(20)), fetched.ExpectMsg<LayerFullyFetched>(TimeSpan.FromSeconds(20)) };
        Assert.True(mounted.Elapsed >= Silence, $"the first layer was fully fetched {mounted.Elapsed} after the mount");
        Assert.Equal(layers.Select(layer => layer.Digest).Order(), done.Select(layer => layer.Key.LayerDigest).Order());
        foreach (var layer in done)
        {
            Assert.Equal(layers.Single(candidate => candidate.Digest == layer.Key.LayerDigest).Ztoc.MaxSpanId + 1, layer.Spans);
        }

        var status = runtime.BackgroundStatus();
        Assert.False(status.Paused);
        Assert.Equal(0, status.Queued);
        Assert.Equal(done.Sum(layer => layer.Spans), status.SpansFetched);
    }

    [Fact]
    public async Task BackgroundFetcher_is_silenced_by_the_first_mount_of_each_image_only()
    {
        var layers = new[] { TestLayer.Create(23), TestLayer.Create(24) };
        await using var runtime = RuntimeHarness.Start(this, "runtime-background-once", layers,
            "soci.background_fetch { silence_period_msec = 1000, fetch_period_msec = 100 }");
        runtime.Mount("0", layers[0]);
        Assert.True(runtime.BackgroundStatus().Paused);
        // Fetching resumes once the silence is over (a span may already have been fetched before the pause arrived,
        // so the fetched count alone does not say the silence ended).
        AwaitAssert(() =>
        {
            var status = runtime.BackgroundStatus();
            Assert.False(status.Paused);
            Assert.True(status.SpansFetched > 0);
        }, TimeSpan.FromSeconds(10));

        // Another layer of the same image: the image is already starting, fetching goes on.
        runtime.Mount("1", layers[1]);
        Assert.False(runtime.BackgroundStatus().Paused);

        // The first layer of another image silences it again.
        var otherImage = runtime.Image.LabelsFor(layers[0]);
        otherImage[SnapshotLabels.ManifestDigest] = ContentDigest.Of("another manifest"u8);
        runtime.Mount("2", layers[0], otherImage);
        Assert.True(runtime.BackgroundStatus().Paused);
        Assert.Equal(2, runtime.Fetcher.Calls);
    }

    [Fact]
    public async Task BackgroundFetcher_drops_a_layer_that_is_closed_while_queued()
    {
        var layer = TestLayer.Create(25);
        await using var runtime = RuntimeHarness.Start(this, "runtime-background-close", [layer],
            "soci.background_fetch { silence_period_msec = 0, fetch_period_msec = 200 }");
        var mountPoint = runtime.Mount("0", layer);
        AwaitAssert(() => Assert.True(runtime.BackgroundStatus().SpansFetched > 0), TimeSpan.FromSeconds(10));

        runtime.Unmount(mountPoint);
        AwaitAssert(() => Assert.Equal(0, runtime.BackgroundStatus().Queued), TimeSpan.FromSeconds(5));
        var fetchedWhenClosed = runtime.BackgroundStatus().SpansFetched;
        Assert.True(fetchedWhenClosed < layer.Ztoc.MaxSpanId + 1);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.Equal(fetchedWhenClosed, runtime.BackgroundStatus().SpansFetched);
    }
}
