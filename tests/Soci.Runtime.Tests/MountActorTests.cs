using Akka.TestKit.Xunit2;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Mounts;
using Soci.Runtime.Tests.Support;

namespace Soci.Runtime.Tests;

public sealed class MountActorTests() : TestKit(RuntimeConfiguration.Reference)
{
    private const string FastSupervision = "soci.runtime.supervision { check_interval = 200ms, hung_request_after = 1s, restart_window = 5m }";

    private static readonly TimeSpan CatTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MountActor_restarts_a_hung_serving_loop_and_the_mount_keeps_serving_other_files()
    {
        var layer = TestLayer.Create(31);
        // A stalled range request holds every span of its run, and one READ can cover a whole file, so the stalled
        // file's first span (the tail of the file before it) stalls too: the files read afterwards share no span with it.
        var gate = new GatedReads().MiddleOf(layer, "data/large-31-2.bin");
        await using var runtime = RuntimeHarness.Start(this, "runtime-hung", [layer], FastSupervision + "\nsoci.runtime.supervision.max_restarts = 3", gate.Wrap);
        var restarts = CreateTestProbe();
        Sys.EventStream.Subscribe(restarts, typeof(ServingLoopRestarted));
        var mountPoint = runtime.Mount("0", layer);

        try
        {
            var hung = ProcessCounts.RunAsync("cat", Path.Combine(mountPoint, "data/large-31-2.bin"), CatTimeout);
            var restarted = restarts.ExpectMsg<ServingLoopRestarted>(TimeSpan.FromSeconds(15));
            Assert.Equal(mountPoint, restarted.MountPoint);
            Assert.True(restarted.AbandonedRequests >= 1);
            Assert.StartsWith("Read of node", restarted.HungRequest);

            // The hung reader gets an error instead of waiting for the stalled registry.
            var (exitCode, _, error) = await hung;
            Assert.Equal(1, exitCode);
            Assert.Contains("Input/output error", error);
            Assert.True(gate.Blocked >= 1);

            // Other files of the same mount are served after the restart, and Check still passes.
            foreach (var name in new[] { "small-31.txt", "data/large-31-0.bin" })
            {
                var (code, output, failure) = await ProcessCounts.RunAsync("sha256sum", Path.Combine(mountPoint, name), CatTimeout);
                Assert.True(code == 0, $"sha256sum {name}: {failure}");
                Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(layer.Files[name])), output);
            }

            runtime.FileSystem.Tell(new CheckMount(mountPoint));
            ExpectMsg<CheckSucceeded>(RuntimeHarness.MountTimeout);
        }
        finally
        {
            gate.Open();
        }

        runtime.Unmount(mountPoint);
    }

    [Fact]
    public async Task MountActor_declares_the_mount_failed_and_releases_its_callers_when_serving_hangs_more_often_than_allowed()
    {
        var layer = TestLayer.Create(32);
        var gate = new GatedReads().MiddleOf(layer, "data/large-32-1.bin");
        await using var runtime = RuntimeHarness.Start(this, "runtime-hung-often", [layer], FastSupervision + "\nsoci.runtime.supervision.max_restarts = 1", gate.Wrap);
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(ServingLoopRestarted));
        Sys.EventStream.Subscribe(events, typeof(MountPermanentlyFailed));
        var mountPoint = runtime.Mount("0", layer);
        var file = Path.Combine(mountPoint, "data/large-32-1.bin");

        try
        {
            var first = ProcessCounts.RunAsync("cat", file, CatTimeout);
            events.ExpectMsg<ServingLoopRestarted>(TimeSpan.FromSeconds(15));

            // The span is still stalled: the next reader hangs too, beyond max_restarts = 1 within the window.
            var second = ProcessCounts.RunAsync("cat", file, CatTimeout);
            var failed = events.ExpectMsg<MountPermanentlyFailed>(TimeSpan.FromSeconds(15));
            Assert.Equal(mountPoint, failed.MountPoint);
            Assert.Contains("already restarted 1 times", failed.Reason);
            runtime.FileSystem.Tell(new CheckMount(mountPoint));
            Assert.Contains("failed permanently", ExpectMsg<CheckFailed>().Reason);

            // Nobody is left waiting on a mount that will not be served again.
            foreach (var reader in new[] { first, second })
            {
                var (exitCode, _, error) = await reader;
                Assert.Equal(1, exitCode);
                Assert.DoesNotContain("killed", error);
            }

            Assert.NotEqual(0, (await ProcessCounts.RunAsync("cat", Path.Combine(mountPoint, "small-32.txt"), CatTimeout)).ExitCode);
        }
        finally
        {
            gate.Open();
        }

        runtime.Unmount(mountPoint);
    }
}
