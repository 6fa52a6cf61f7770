using Akka.TestKit.Xunit2;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Layers;
using Soci.Runtime.Tests.Support;

namespace Soci.Runtime.Tests;

[Collection(ProcessWideCounts.Name)]
public sealed class LayerResolverActorTests() : TestKit(RuntimeConfiguration.Reference)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task LayerResolver_keeps_evicted_layers_while_mounted_and_releases_everything_at_unmount()
    {
        var layers = new[] { TestLayer.Create(41, 2, 200_000), TestLayer.Create(42, 2, 200_000), TestLayer.Create(43, 2, 200_000) };
        await using var runtime = RuntimeHarness.Start(this, "runtime-evict", layers, "soci.resolve_result_entry = 1");
        // One cycle first, so what the first mount opens for good (libraries, the fusectl mount) is in the baseline.
        runtime.Unmount(runtime.Mount("warm-up", layers[0], runtime.Fetcher.SingleLayerImageLabels(layers[0])));
        AwaitAssert(() => Assert.Equal(0, runtime.CacheStatus().Live), Settle);
        var openFiles = ProcessCounts.SettledOpenFiles();
        var openFileTargets = ProcessCounts.OpenFileTargets;

        // Single-layer images, so no pre-resolution adds layers nobody mounts.
        var mountPoints = layers.Select((layer, i) => runtime.Mount($"{i}", layer, runtime.Fetcher.SingleLayerImageLabels(layer))).ToList();
        // One layer fits the cache; the others were evicted but stay alive while their mounts serve them.
        Assert.Equal(new LayerCacheStatus(1, 3, 0, 0), runtime.CacheStatus());
        for (var i = 0; i < layers.Length; i++)
        {
            foreach (var (name, content) in layers[i].Files)
            {
                Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(mountPoints[i], name)));
            }
        }

        Assert.True(ProcessCounts.OpenFiles > openFiles);
        Assert.Equal(3, runtime.SpanCacheDirectories);
        foreach (var mountPoint in mountPoints)
        {
            runtime.Unmount(mountPoint);
        }

        AwaitAssert(() =>
        {
            Assert.Equal(new LayerCacheStatus(0, 0, 0, 0), runtime.CacheStatus());
            Assert.Equal(0, runtime.SpanCacheDirectories);
            ProcessCounts.AssertNoMoreOpenFilesThan(openFiles, openFileTargets);
        }, Settle);
    }
}
