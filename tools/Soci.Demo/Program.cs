using System.Diagnostics;
using Soci.Demo;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;

// The main job on loopback, with real parts: the real Debian image in a real registry, its SOCI indexes built
// and pushed with our CLI, a private containerd with our daemon as its `soci` snapshotter, and the image's
// workload started lazily next to containerd's own full pull. `--bench N` runs N interleaved rounds of the three
// ways to start it and prints the benchmark's figures. Everything started here is stopped, and everything
// mounted is unmounted, when the demo ends (also on failure or Ctrl+C).
var rounds = args is ["--bench", var count] && int.TryParse(count, out var parsed) && parsed > 0 ? parsed : 0;
if (args.Length > 0 && rounds == 0)
{
    Console.Error.WriteLine("usage: Soci.Demo [--bench ROUNDS]");
    return 2;
}

var clock = Stopwatch.StartNew();
void Step(string message) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {message}");

await using var directory = TestDirectory.Create("demo");
Console.CancelKeyPress += (_, cancel) => cancel.Cancel = true;

Step("building the Debian test image (cached after the first run)");
var layout = await DebianImage.LayoutAsync();
var stack = await LoopbackNode.StartAsync(directory);
Step($"registry on {stack.Registry.Host}; soci-snapshotter-grpc on {stack.Daemon.Socket}; containerd on {stack.Containerd.Socket}");
var image = await ImagePublisher.PublishAsync(stack, layout, Step);
var runner = new ImageRunner(stack, image);

if (rounds == 0)
{
    Step("containerd's own full pull onto overlayfs, then ctr run");
    var overlay = await runner.RunAsync(RunKind.Overlayfs);
    Step($"{overlay.ReadyLine}   <- {overlay}");
    Step("soci image rpull + ctr run --snapshotter soci (lazy loading)");
    var lazy = await runner.RunAsync(RunKind.Lazy);
    Step($"{lazy.ReadyLine}   <- {lazy}");
    Step($"lazy loading reached the ready line in {lazy.ToReady.TotalSeconds / overlay.ToReady.TotalSeconds:P0} of the full pull's time, " +
         $"fetching {(double)lazy.RegistryBytes / image.CompressedSize:P1} of the image's {image.CompressedSize / 1e6:F0} MB");
    return 0;
}

var runs = new List<RunMeasurement>();
for (var round = 1; round <= rounds; round++)
{
    foreach (var kind in Enum.GetValues<RunKind>())
    {
        var run = await runner.RunAsync(kind);
        runs.Add(run);
        Step($"round {round}: {run}");
    }
}

BenchReport.Print(runs, image);
return 0;
