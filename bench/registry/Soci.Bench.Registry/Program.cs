using System.Diagnostics;
using System.Globalization;
using Soci.Actors.Registry;

// Range reads of one blob through our registry client versus curl, same registry, same ranges, same run.
// Usage: Soci.Bench.Registry <host:port> <repository> <digest> <blob size> [ranges] [range bytes] [runs]
// Both sides read the ranges one after another over a kept-alive connection; a warm-up pass comes first. Each
// figure is the best of `runs` passes (other work on the machine only ever adds time). Latency = time of one
// range request; throughput = bytes / summed request time.
var host = args[0];
var repository = args[1];
var digest = args[2];
var size = long.Parse(args[3], CultureInfo.InvariantCulture);
var count = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 200;
var rangeBytes = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1 << 20;
var runs = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 3;

var random = new Random(42);
var offsets = Enumerable.Range(0, count).Select(_ => random.NextInt64(0, size - rangeBytes)).ToArray();

using var client = new RegistryClient();
var blob = await client.Repository(host, repository).OpenBlobAsync(digest, size);
var buffer = new byte[rangeBytes];

async Task<double[]> OursAsync()
{
    var latencies = new double[offsets.Length];
    for (var i = 0; i < offsets.Length; i++)
    {
        var clock = Stopwatch.StartNew();
        await blob.ReadAsync(offsets[i], buffer);
        latencies[i] = clock.Elapsed.TotalSeconds;
    }

    return latencies;
}

async Task<double[]> CurlAsync()
{
    var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, UseShellExecute = false };
    var url = $"http://{host}/v2/{repository}/blobs/{digest}";
    for (var i = 0; i < offsets.Length; i++)
    {
        if (i > 0)
        {
            start.ArgumentList.Add("--next");
        }

        foreach (var argument in new[] { "-s", "-o", "/dev/null", "-H", "Accept-Encoding: identity", "-r", $"{offsets[i]}-{offsets[i] + rangeBytes - 1}", "-w", "%{time_total}\\n", url })
        {
            start.ArgumentList.Add(argument);
        }
    }

    using var curl = Process.Start(start)!;
    var output = await curl.StandardOutput.ReadToEndAsync();
    await curl.WaitForExitAsync();
    if (curl.ExitCode != 0)
    {
        throw new InvalidOperationException($"curl failed with exit code {curl.ExitCode}");
    }

    return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

await OursAsync();
await CurlAsync();
double bestOurs = double.MaxValue, bestCurl = double.MaxValue, bestOursP50 = double.MaxValue, bestCurlP50 = double.MaxValue;
for (var run = 0; run < runs; run++)
{
    var ours = await OursAsync();
    var curl = await CurlAsync();
    Console.Error.WriteLine($"run {run}: ours {ours.Sum():0.000} s p50 {Median(ours) * 1000:0.00} ms; curl {curl.Sum():0.000} s p50 {Median(curl) * 1000:0.00} ms");
    bestOurs = Math.Min(bestOurs, ours.Sum());
    bestCurl = Math.Min(bestCurl, curl.Sum());
    bestOursP50 = Math.Min(bestOursP50, Median(ours));
    bestCurlP50 = Math.Min(bestCurlP50, Median(curl));
}

var bytes = (double)offsets.Length * rangeBytes;
Console.Error.WriteLine($"throughput: ours {bytes / bestOurs / (1 << 20):0} MiB/s, curl {bytes / bestCurl / (1 << 20):0} MiB/s");
Console.WriteLine(FormattableString.Invariant($"BENCH registry.range_throughput_vs_curl={bestCurl / bestOurs:0.000}"));
Console.WriteLine(FormattableString.Invariant($"BENCH registry.range_p50_latency_vs_curl={bestOursP50 / bestCurlP50:0.000}"));
