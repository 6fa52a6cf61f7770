using Soci.Actors.Pull;
using Soci.Formats.Index;
using Soci.TestEnvironment.Faults;
using Soci.TestEnvironment.Images;
using Xunit.Abstractions;

namespace Soci.Pull.Tests;

/// <summary>
/// The main job as a test: the real Debian image, converted to a v2 SOCI image and pushed to a loopback registry,
/// pulled with rpull into a private containerd whose `soci` snapshotter is our daemon, and run with `ctr run`.
/// The registry is reached through a counting proxy so the test sees what lazy loading actually fetched.
/// </summary>
public sealed class LazyDebianImageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_lazily_pulled_image_runs_its_workload_while_the_registry_serves_a_fraction_of_its_layers()
    {
        await using var stack = await PullStack.StartAsync("e2e-lazy");
        var (pushed, conversion) = await LazyImagePublisher.PushConvertedAsync(
            stack, await DebianImage.LayoutAsync(), DebianImage.Tag, "debian-lazy", new SociIndexBuildOptions());
        await using var proxy = FaultProxy.Start(stack.Registry.CreateClient());
        var reference = pushed.Replace(stack.Registry.Host, proxy.Host, StringComparison.Ordinal);

        var pull = await stack.RpullAsync(reference);
        var run = (await stack.Containerd.CtrAsync("run", "--rm", "--snapshotter", "soci", reference, "e2e-lazy")).EnsureSuccess();

        Assert.Single(conversion.Bindings);
        Assert.Contains(DebianImage.ReadyLine, run.StandardOutput);
        var remote = pull.Layers.Where(layer => layer.Outcome == LayerPullOutcome.Remote).ToList();
        Assert.True(remote.Count >= 2, "the two large layers are served lazily:\n" + string.Join('\n', pull.Layers));
        var imageBytes = pull.Layers.Sum(layer => layer.Size);
        var fraction = (double)proxy.BodyBytesServed / imageBytes;
        output.WriteLine($"layers: {string.Join(", ", pull.Layers.Select(layer => $"{layer.Size} {layer.Outcome}"))}");
        output.WriteLine($"registry served {proxy.BodyBytesServed} bytes in {proxy.Served.Count} requests ({fraction:P1} of {imageBytes})");
        Assert.True(fraction < 0.2, $"the registry served {proxy.BodyBytesServed} bytes of a {imageBytes}-byte image ({fraction:P1})");
    }

    [Fact]
    public async Task A_daemon_restart_under_a_running_container_keeps_new_runs_working()
    {
        await using var stack = await PullStack.StartAsync("e2e-restart");
        var (reference, _) = await LazyImagePublisher.PushConvertedAsync(
            stack, await DebianImage.LayoutAsync(), DebianImage.Tag, "debian-restart", new SociIndexBuildOptions());
        await stack.RpullAsync(reference);
        (await stack.Containerd.CtrAsync("run", "-d", "--snapshotter", "soci", reference, "long-running", "sleep", "600")).EnsureSuccess();
        // Also lets `sleep` finish loading: pages it faulted in after the restart would come from a dead connection.
        var before = (await stack.Containerd.CtrAsync("task", "exec", "--exec-id", "before", "long-running", "python3", "/app/ready.py")).EnsureSuccess();
        Assert.Contains(DebianImage.ReadyLine, before.StandardOutput);

        await stack.Node.RestartDaemonAsync();

        // The running container's overlay sits on the previous daemon's FUSE connections, which died with it: the
        // task keeps running, and a read of a file not already in memory either works or fails with a clear error
        // (today: ESTALE), never with wrong bytes.
        Assert.Contains(await stack.CtrLinesAsync("task", "list"), line => line.StartsWith("long-running", StringComparison.Ordinal) && line.EndsWith("RUNNING", StringComparison.Ordinal));
        var exec = await stack.Containerd.CtrAsync("task", "exec", "--exec-id", "probe", "long-running", "python3", "/app/ready.py");
        output.WriteLine($"exec in the running container after the restart: exit {exec.ExitCode}\n{exec.StandardOutput}\n{exec.StandardError}");
        Assert.True(exec.ExitCode == 0 ? exec.StandardOutput.Contains(DebianImage.ReadyLine) : exec.StandardError.Length > 0,
            $"exit {exec.ExitCode}\n{exec.StandardOutput}\n{exec.StandardError}");
        (await stack.Containerd.CtrAsync("task", "kill", "--signal", "SIGKILL", "long-running")).EnsureSuccess();

        var again = (await stack.Containerd.CtrAsync("run", "--rm", "--snapshotter", "soci", reference, "after-restart")).EnsureSuccess();
        Assert.Contains(DebianImage.ReadyLine, again.StandardOutput);
    }
}
