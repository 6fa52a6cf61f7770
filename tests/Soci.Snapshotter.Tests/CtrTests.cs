using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Snapshotter.Tests;

/// <summary>A private containerd with our daemon as its `soci` proxy plugin, driven with ctr.</summary>
public sealed class CtrTests
{
    [Fact]
    public async Task Ctr_snapshot_commands_work_against_the_soci_snapshotter()
    {
        await using var directory = TestDirectory.Create("snap-ctr");
        var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
        var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });
        Task<string> Ctr(params string[] arguments) =>
            containerd.CtrAsync(["snapshots", "--snapshotter", "soci", .. arguments]).ContinueWith(run => run.Result.EnsureSuccess().StandardOutput);

        await Ctr("prepare", "base-active");
        await Ctr("commit", "base", "base-active");
        await Ctr("prepare", "work", "base");
        await Ctr("view", "look", "base");
        var mounts = await Ctr("mounts", "/mnt/target", "work");
        var viewMounts = await Ctr("mounts", "/mnt/target", "look");
        await Ctr("label", "base", "team=storage");
        var info = await Ctr("info", "base");
        var list = await Ctr("ls");
        var usage = await Ctr("usage", "work");
        await Ctr("rm", "look");
        var afterRemove = await Ctr("ls");

        Assert.Contains("-t overlay", mounts, StringComparison.Ordinal);
        Assert.Contains("upperdir=" + daemon.Root, mounts, StringComparison.Ordinal);
        Assert.Contains("-t bind", viewMounts, StringComparison.Ordinal);
        Assert.Contains("\"team\": \"storage\"", info, StringComparison.Ordinal);
        Assert.Contains("work", usage, StringComparison.Ordinal);
        foreach (var name in new[] { "base", "work", "look" })
        {
            Assert.Contains(list.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(afterRemove.Split('\n'), line => line.StartsWith("look ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_container_runs_on_the_soci_snapshotters_overlay_mounts()
    {
        await using var directory = TestDirectory.Create("snap-run");
        var registry = await LocalRegistry.StartAsync(directory);
        var reference = await ImagePusher.PushAsync(await DebianImage.LayoutAsync(), DebianImage.Tag, registry, "debian", "demo");
        var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
        var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });

        (await containerd.CtrAsync("images", "pull", "--plain-http", "--snapshotter", "soci", reference)).EnsureSuccess();
        var run = (await containerd.CtrAsync("run", "--rm", "--snapshotter", "soci", reference, "soci-run")).EnsureSuccess();

        Assert.Contains(DebianImage.ReadyLine, run.StandardOutput, StringComparison.Ordinal);
        // The layers live in our snapshot directories: containerd's differ unpacked them through our mounts.
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(daemon.Root, "snapshotter", "snapshots")));
        Assert.Contains("committed", (await containerd.CtrAsync("snapshots", "--snapshotter", "soci", "ls")).EnsureSuccess().StandardOutput.ToLowerInvariant(), StringComparison.Ordinal);
    }
}
