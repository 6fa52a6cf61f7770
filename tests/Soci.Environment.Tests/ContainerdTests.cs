using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Environment.Tests;

public sealed class ContainerdTests
{
    [Fact]
    public async Task Private_containerd_pulls_an_image_from_the_loopback_registry()
    {
        await using var directory = TestDirectory.Create("containerd");
        var registry = await LocalRegistry.StartAsync(directory);
        var layout = directory.Sub("layout");
        SyntheticImage.WriteLayout(layout);
        var reference = await ImagePusher.PushAsync(layout, SyntheticImage.Tag, registry, "synthetic", "v1");
        var containerd = await PrivateContainerd.StartAsync(directory);

        (await containerd.CtrAsync("images", "pull", "--plain-http", reference)).EnsureSuccess();

        var images = (await containerd.CtrAsync("images", "list", "--quiet")).EnsureSuccess();
        Assert.Contains(reference, images.StandardOutput.Split('\n'));
    }

    /// <summary>The baseline later benchmarks compare against: a full pull and a run on containerd's own overlayfs.</summary>
    [Fact]
    public async Task The_real_debian_image_runs_on_plain_containerd_and_prints_its_ready_line()
    {
        await using var directory = TestDirectory.Create("debian");
        var registry = await LocalRegistry.StartAsync(directory);
        var reference = await ImagePusher.PushAsync(await DebianImage.LayoutAsync(), DebianImage.Tag, registry, "debian", "demo");
        var containerd = await PrivateContainerd.StartAsync(directory);

        (await containerd.CtrAsync("images", "pull", "--plain-http", reference)).EnsureSuccess();
        var run = (await containerd.CtrAsync("run", "--rm", reference, "baseline-run")).EnsureSuccess();

        Assert.Contains(DebianImage.ReadyLine, run.StandardOutput);
    }

    [Fact]
    public async Task Containerd_loads_our_daemon_as_the_soci_snapshotter_proxy_plugin()
    {
        await using var directory = TestDirectory.Create("proxy");
        var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
        var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });

        var plugins = (await containerd.CtrAsync("plugins", "list")).EnsureSuccess();

        Assert.Contains(plugins.StandardOutput.Split('\n'), line =>
            line.StartsWith("io.containerd.snapshotter.v1", StringComparison.Ordinal)
            && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "soci", _, "ok"]);
    }
}
