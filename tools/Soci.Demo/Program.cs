using System.Diagnostics;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

// The main job on loopback, with real parts: the real Debian image in a real registry, a private containerd with
// our daemon as its `soci` snapshotter, and a container run from the image. Everything started here is stopped,
// and everything mounted is unmounted, when the demo ends (also on failure or Ctrl+C).
var clock = Stopwatch.StartNew();
void Step(string message) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {message}");

await using var directory = TestDirectory.Create("demo");
Console.CancelKeyPress += (_, args) => args.Cancel = true;

Step("building the Debian test image (cached after the first run)");
var layout = await DebianImage.LayoutAsync();
Step($"image layout: {layout}");

var registry = await LocalRegistry.StartAsync(directory);
Step($"registry serving on {registry.Host}");
var reference = await ImagePusher.PushAsync(layout, DebianImage.Tag, registry, "debian", "demo");
Step($"pushed {reference}");

var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });
Step($"soci-snapshotter-grpc on {daemon.Socket}; containerd on {containerd.Socket} with the soci proxy plugin");
Console.WriteLine((await containerd.CtrAsync("plugins", "list")).StandardOutput
    .Split('\n').First(line => line.Contains(" soci ", StringComparison.Ordinal)));

// Lazy pulls (`soci image rpull` + `ctr run --snapshotter soci`) arrive with the end-to-end issue; until then the
// demo runs the baseline every later figure is compared with: a full pull onto containerd's overlayfs.
Step("BASELINE (overlayfs, full pull): lazy loading is not wired end to end yet");
var pullStart = clock.Elapsed;
(await containerd.CtrAsync("images", "pull", "--plain-http", reference)).EnsureSuccess();
var pulled = clock.Elapsed;
var run = (await containerd.CtrAsync("run", "--rm", reference, "demo-run")).EnsureSuccess();
var ready = clock.Elapsed;
Console.WriteLine(run.StandardOutput.Trim());
if (!run.StandardOutput.Contains(DebianImage.ReadyLine, StringComparison.Ordinal))
{
    Console.Error.WriteLine($"demo: the workload did not print \"{DebianImage.ReadyLine}\"");
    return 1;
}

Step($"overlayfs: pull {(pulled - pullStart).TotalSeconds:F1}s, run to ready line {(ready - pulled).TotalSeconds:F1}s, " +
     $"total {(ready - pullStart).TotalSeconds:F1}s");
Step("cleaning up");
return 0;
