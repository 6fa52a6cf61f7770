using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.Environment.Tests;

public sealed class TeardownTests
{
    private sealed class SimulatedTestFailure : Exception;

    [Fact]
    public async Task A_failing_test_leaves_no_processes_or_mounts_behind()
    {
        string? path = null;
        IReadOnlyList<ProcessIdentity> started = [];

        // What a failing test does: start real parts, mount, then throw while they run.
        await Assert.ThrowsAsync<SimulatedTestFailure>(async () =>
        {
            await using var directory = TestDirectory.Create("failing");
            path = directory.Path;
            await LocalRegistry.StartAsync(directory);
            var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
            await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });
            await MountTmpfs(directory.Sub("mnt"));
            started = directory.OwnedProcesses();
            Assert.Equal(3, started.Count(process => process.IsAlive));
            throw new SimulatedTestFailure();
        });

        Assert.All(started, process => Assert.False(process.IsAlive, $"{process.Name} ({process.Pid}) still runs"));
        Assert.Empty(MountTable.MountsUnder(path!));
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task Parts_left_by_a_test_host_that_died_are_swept_by_the_next_one()
    {
        var directory = TestDirectory.Create("abandoned");
        var sleeper = ManagedProcess.Start(directory, "sleeper", "sleep", ["600"]);
        await MountTmpfs(directory.Sub("mnt"));
        await PretendOwnerDied(directory);

        await TestDirectory.SweepAbandoned();

        Assert.False(sleeper.IsRunning);
        Assert.Empty(MountTable.MountsUnder(directory.Path));
        Assert.False(Directory.Exists(directory.Path));
    }

    [Fact]
    public async Task The_sweeper_leaves_directories_of_live_test_hosts_alone()
    {
        await using var directory = TestDirectory.Create("alive");
        var sleeper = ManagedProcess.Start(directory, "sleeper", "sleep", ["600"]);

        await TestDirectory.SweepAbandoned();

        Assert.True(sleeper.IsRunning);
        Assert.True(Directory.Exists(directory.Path));
    }

    private static async Task MountTmpfs(string target) =>
        (await CommandRunner.RunAsync("mount", "-t", "tmpfs", "soci-test", target)).EnsureSuccess();

    /// <summary>Rewrites the owner record to name a process that has exited, as a killed test host would leave it.</summary>
    private static async Task PretendOwnerDied(TestDirectory directory)
    {
        using var exited = System.Diagnostics.Process.Start("true")!;
        var identity = ProcessIdentity.Read(exited.Id, "test-host") ?? new ProcessIdentity(exited.Id, 1, "test-host");
        await exited.WaitForExitAsync();
        await File.WriteAllTextAsync(directory.File("owner"), identity.ToLine());
    }
}
