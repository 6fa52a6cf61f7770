using System.Diagnostics;
using Akka.TestKit.Xunit2;
using Soci.Actors.Runtime;
using Soci.Runtime.Tests.Support;
using Soci.TestEnvironment.Processes;
using Xunit.Abstractions;

namespace Soci.Runtime.Tests;

[Collection(ProcessWideCounts.Name)]
public sealed class MountCycleTests(ITestOutputHelper output) : TestKit(RuntimeConfiguration.Reference)
{
    private const int Cycles = 200;

    /// <summary>Room for the thread pool's own growth and shrinking; a leak of one thread per cycle is far above it.</summary>
    private const int ThreadSlack = 8;

    [Fact]
    public async Task Runtime_leaks_no_thread_or_file_descriptor_over_200_mount_and_unmount_cycles()
    {
        var layers = new[] { TestLayer.Create(51, 1, 200_000), TestLayer.Create(52, 1, 200_000) };
        await using var runtime = RuntimeHarness.Start(this, "runtime-cycles", layers);
        var fileSystem = new ActorRemoteFileSystem(runtime.FileSystem, RuntimeHarness.MountTimeout);
        var mountPoint = runtime.MountPoint("cycling");

        async Task CycleAsync(int cycle)
        {
            var layer = layers[cycle % layers.Length];
            await fileSystem.MountAsync(mountPoint, runtime.Fetcher.SingleLayerImageLabels(layer), CancellationToken.None);
            foreach (var (name, content) in layer.Files)
            {
                Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(mountPoint, name)));
            }

            // What the leak check below counts: the serving threads of the live mount.
            Assert.True(ProcessCounts.ThreadsNamed("fuse-") > 0);
            await fileSystem.UnmountAsync(mountPoint, CancellationToken.None);
        }

        // Warm-up cycles, so what the first mounts open for good (libraries, fusectl, pools) is in the baseline.
        for (var cycle = 0; cycle < 4; cycle++)
        {
            await CycleAsync(cycle);
        }

        AwaitAssert(() => Assert.Equal(0, runtime.CacheStatus().Live), TimeSpan.FromSeconds(10));
        var openFiles = ProcessCounts.SettledOpenFiles();
        var openFileTargets = ProcessCounts.OpenFileTargets;
        var threads = ProcessCounts.Threads;

        var elapsed = Stopwatch.StartNew();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await CycleAsync(cycle);
        }

        output.WriteLine($"{Cycles} cycles in {elapsed.Elapsed}; threads {threads} -> {ProcessCounts.Threads}, open files {openFiles} -> {ProcessCounts.OpenFiles}");
        Assert.Empty(MountTable.MountsUnder(runtime.Directory.Path));
        AwaitAssert(() =>
        {
            Assert.Equal(0, ProcessCounts.ThreadsNamed("fuse-"));
            Assert.Equal(new Soci.Actors.Runtime.Layers.LayerCacheStatus(0, 0, 0, 0), runtime.CacheStatus());
            Assert.Equal(0, runtime.SpanCacheDirectories);
            ProcessCounts.AssertNoMoreOpenFilesThan(openFiles, openFileTargets);
            Assert.InRange(ProcessCounts.Threads, 0, threads + ThreadSlack);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
    }
}
