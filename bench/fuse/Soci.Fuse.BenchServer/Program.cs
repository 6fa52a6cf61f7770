using System.Runtime.InteropServices;
using Soci.Fuse;
using Soci.Fuse.FileSystem;

// Serves the benchmark tree (the same one bench/fuse/libfuse_server.c serves) until SIGTERM/SIGINT:
//   /big.bin             1 GiB, a 1 MiB in-memory block repeated
//   /small/fNNNNN        10,000 files of 4 KiB
// Usage: Soci.Fuse.BenchServer <mountpoint> [serving-threads]
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: Soci.Fuse.BenchServer <mountpoint> [serving-threads]");
    return 2;
}
var threads = args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;

var block = new byte[1 << 20];
for (var i = 0; i < block.Length; i++)
{
    block[i] = (byte)(i * 31 + (i >> 11));
}
var fs = new MemoryFileSystem();
fs.AddFile("big.bin", new RepeatingContent(block, 1L << 30));
var small = new BytesContent(block.AsMemory(0, 4096));
for (var i = 0; i < 10_000; i++)
{
    fs.AddFile($"small/f{i:D5}", small);
}

using var session = FuseSession.Start(args[0], fs, new FuseMountOptions { ServingThreads = threads });
using var stop = new ManualResetEventSlim();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Set();
});
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Set();
});
Console.WriteLine("READY");
stop.Wait();
Console.Error.WriteLine($"serving threads: {session.LiveServingThreads}");
foreach (var (opcode, sample) in session.Statistics.Snapshot())
{
    Console.Error.WriteLine($"{opcode}: {sample.Count} requests, {sample.Errors} errors, mean {sample.MeanLatency.TotalMicroseconds:F1} µs, max {sample.MaxLatency.TotalMicroseconds:F0} µs");
}
return 0;
