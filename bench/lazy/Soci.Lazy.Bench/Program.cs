using System.Diagnostics;
using System.Globalization;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Unpack;
using Soci.Formats.Toc;
using Soci.Fuse;
using Soci.Fuse.FileSystem;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

// Lazy layer benchmarks, each a ratio against a baseline measured in this run (see scripts/bench/lazy.sh).
//   cold   fetch amplification and cold read time vs full download + unpack + local read of the same files
//   warm   sequential read with every span cached vs Soci.Fuse's in-memory filesystem
//   rss    process RSS with 20 layers (the Debian image's layers, repeated) resolved and mounted, idle
const long SpanSize = 1 << 20;
const int Runs = 3;
// A warm pass over 256 MiB takes a fraction of a second, so one scheduling hiccup shows; more passes, the median.
const int WarmRuns = 7;
var mode = args.Length > 0 ? args[0] : "all";
await using var directory = TestDirectory.Create("bench-lazy");
var registry = await LocalRegistry.StartAsync(directory);
using var client = registry.CreateClient();

if (mode is "all" or "cold")
{
    await ColdAsync();
}
if (mode is "all" or "warm")
{
    await WarmAsync();
}
if (mode is "rss")
{
    await IdleRssAsync();
}

async Task ColdAsync()
{
    var layerPath = directory.File("cold.tar.gz");
    var sizes = GeneratedLayer.Write(layerPath, files: 800, maxFileBytes: 256 * 1024);
    var digest = await BlobUpload.PushAsync(client, "bench/cold", layerPath);
    var size = new FileInfo(layerPath).Length;
    var ztoc = LazyMount.BuildZtoc(layerPath, SpanSize);
    // Eight runs of ten consecutive files spread over the layer.
    var files = Enumerable.Range(0, 8).SelectMany(run => Enumerable.Range(run * 100 + 5, 10)).ToList();
    var runs = 8;
    var bytesRead = files.Sum(i => (long)sizes[i]);
    var averageCompressedSpan = (double)size / (ztoc.MaxSpanId + 1);

    var lazyTimes = new List<double>();
    long fetched = 0;
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        await using (var mount = await LazyMount.StartAsync(directory.File($"cold-mnt-{run}"), ztoc,
            new HttpRangeLayerBlob(client, "bench/cold", digest, size), new MemorySpanCache(256 << 20), digest))
        {
            ReadFiles(mount.MountPoint, files);
            lazyTimes.Add(watch.Elapsed.TotalSeconds);
            fetched = mount.Layer.Spans.FetchedBytes;
        }
    }

    var fullTimes = new List<double>();
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var downloaded = directory.File($"full-{run}.tar.gz");
        await using (var body = await client.GetStreamAsync($"v2/bench/cold/blobs/{digest}"))
        await using (var file = File.Create(downloaded))
        {
            await body.CopyToAsync(file);
        }
        var unpacked = directory.File($"full-{run}");
        await LocalLayerUnpacker.UnpackAsync(downloaded, unpacked, new LocalUnpackOptions { BlobDigest = digest }, CancellationToken.None);
        ReadFiles(unpacked, files);
        fullTimes.Add(watch.Elapsed.TotalSeconds);
        Directory.Delete(unpacked, recursive: true);
        File.Delete(downloaded);
    }

    var allowance = runs * averageCompressedSpan;
    Report("lazy.fetch_amplification", (fetched - allowance) / bytesRead);
    Report("lazy.fetch_amplification_raw", (double)fetched / bytesRead);
    Report("lazy.cold_read_vs_full_download", Median(lazyTimes) / Median(fullTimes));
    Console.Error.WriteLine($"cold: read {bytesRead} bytes of {files.Count} files in {runs} runs, fetched {fetched} of {size}; " +
        $"lazy {Median(lazyTimes):F3}s, full download+unpack+read {Median(fullTimes):F3}s");
}

async Task WarmAsync()
{
    const int FileBytes = 256 << 20;
    var content = new byte[FileBytes];
    new Random(7).NextBytes(content);
    var layerPath = directory.File("warm.tar.gz");
    using (var output = File.Create(layerPath))
    using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
    using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Pax))
    {
        tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "big.bin") { DataStream = new MemoryStream(content) });
    }
    var digest = await BlobUpload.PushAsync(client, "bench/warm", layerPath);
    var size = new FileInfo(layerPath).Length;
    var ztoc = LazyMount.BuildZtoc(layerPath, 4 << 20);
    var cache = new MemorySpanCache(512L << 20);

    var lazy = new List<double>();
    var memory = new List<double>();
    for (var run = 0; run < WarmRuns; run++)
    {
        // Alternating which goes first, so neither always runs while the other's garbage is being collected.
        if (run % 2 == 0)
        {
            lazy.Add(await LazyWarmReadAsync(run));
            memory.Add(MemoryFsRead(run));
        }
        else
        {
            memory.Add(MemoryFsRead(run));
            lazy.Add(await LazyWarmReadAsync(run));
        }
    }

    async Task<double> LazyWarmReadAsync(int run)
    {
        await using var mount = await LazyMount.StartAsync(directory.File($"warm-mnt-{run}"), ztoc,
            new HttpRangeLayerBlob(client, "bench/warm", digest, size), cache, digest);
        while (await mount.Layer.Spans.FetchNextUnfetchedSpanAsync(CancellationToken.None))
        {
        }
        return SequentialRead(Path.Combine(mount.MountPoint, "big.bin"));
    }

    double MemoryFsRead(int run)
    {
        var memoryFs = new MemoryFileSystem();
        memoryFs.AddFile("big.bin", new BytesContent(content));
        var mountPoint = Directory.CreateDirectory(directory.File($"memfs-mnt-{run}")).FullName;
        using (FuseSession.Start(mountPoint, memoryFs))
        {
            return SequentialRead(Path.Combine(mountPoint, "big.bin"));
        }
    }

    Report("lazy.warm_read_vs_memfs", Median(lazy) / Median(memory));
    Console.Error.WriteLine($"warm: lazy {Median(lazy) / (1 << 20):F0} MiB/s, memfs {Median(memory) / (1 << 20):F0} MiB/s");
}

async Task IdleRssAsync()
{
    var layers = OciLayout.Layers(await DebianImage.LayoutAsync());
    var ztocFiles = new List<string>();
    for (var i = 0; i < layers.Count; i++)
    {
        await BlobUpload.PushAsync(client, "bench/debian", layers[i].Path);
        var path = directory.File($"layer-{i}.ztoc");
        await File.WriteAllBytesAsync(path, ZtocSerializer.Serialize(new Soci.Formats.Build.ZtocBuilder().BuildFromFile(layers[i].Path)));
        ztocFiles.Add(path);
    }
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    var before = ResidentMegabytes();
    var managedBefore = GC.GetTotalMemory(false);
    var mounts = new List<LazyMount>();
    var cache = new MemorySpanCache(64 << 20);
    try
    {
        for (var i = 0; i < 20; i++)
        {
            mounts.Add(await MountAsync(i, layers[i % layers.Count], ztocFiles[i % layers.Count], cache));
        }
        // Collected once the mounts have been idle: a collection right after the last mount would still see that
        // mount's parsed ztoc, reachable from the frames of the async calls that just completed on this thread.
        await Task.Delay(1000);
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = ResidentMegabytes();
        Report("lazy.idle_rss_mb_20_layers", after);
        var gc = GC.GetGCMemoryInfo();
        Console.Error.WriteLine($"rss: {before:F0} MB before mounting, {after:F0} MB with 20 layers mounted " +
            $"(managed heap {managedBefore / 1e6:F0} → {GC.GetTotalMemory(false) / 1e6:F0} MB, GC committed {gc.TotalCommittedBytes / 1e6:F0} MB, " +
            $"{Process.GetCurrentProcess().Threads.Count} threads)");
    }
    finally
    {
        foreach (var mount in mounts)
        {
            await mount.DisposeAsync();
        }
    }
}

// Reads and parses the ztoc in its own method, as the daemon's layer factory does: a local of the loop above would
// live in that async method's state machine until the loop ends, and the parsed TOC of the last layer (tens of MB
// for the large Debian layer) would be counted as the mounted layers' memory.
async Task<LazyMount> MountAsync(int index, OciLayout.Layer layer, string ztocFile, MemorySpanCache cache)
{
    var ztoc = ZtocParser.Parse(await File.ReadAllBytesAsync(ztocFile));
    return await LazyMount.StartAsync(directory.File($"rss-mnt-{index}"), ztoc,
        new HttpRangeLayerBlob(client, "bench/debian", layer.Digest, layer.Size), cache, layer.Digest);
}

static void ReadFiles(string root, IEnumerable<int> files)
{
    var buffer = new byte[1 << 20];
    foreach (var index in files)
    {
        using var stream = new FileStream(Path.Combine(root, GeneratedLayer.FileName(index)), FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        while (stream.Read(buffer) > 0)
        {
        }
    }
}

/// <summary>Bytes per second of one sequential pass with 1 MiB reads, started on a settled heap (what the setup left is collected first).</summary>
static double SequentialRead(string path)
{
    var buffer = new byte[1 << 20];
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var watch = Stopwatch.StartNew();
    long total = 0;
    using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan))
    {
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }
    }
    return total / watch.Elapsed.TotalSeconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double ResidentMegabytes() =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;

static void Report(string name, double value) => Console.WriteLine($"BENCH {name}={value.ToString("0.###", CultureInfo.InvariantCulture)}");
