using System.Diagnostics;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Processes;

namespace Soci.Demo;

/// <summary>
/// Starts the image one way from an empty node and measures it; afterwards removes the image (containerd's GC
/// takes its content and snapshots, our daemon its mounts and caches) and restarts the daemon on an empty root
/// (no ztocs or layer metadata kept from this run), so the next run is as cold as this one.
/// </summary>
public sealed class ImageRunner(LoopbackNode stack, PublishedImage image)
{
    private int _runs;

    public async Task<RunMeasurement> RunAsync(RunKind kind)
    {
        var reference = kind == RunKind.Lazy ? image.Converted : image.Plain;
        var container = $"demo-{kind.ToString().ToLowerInvariant()}-{++_runs}";
        // The previous run's gigabyte of unpacked files is still being written back, and the page cache holds what
        // earlier runs read and wrote: flushed and dropped first, neither is charged to (or helps) the next run; on
        // this machine's disk that alone made the same pull take anywhere from 16 s to 51 s.
        (await CommandRunner.RunAsync("sync")).EnsureSuccess();
        await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3");
        var bytesBefore = stack.Registry.BlobBytesServed();
        var clock = Stopwatch.StartNew();
        if (kind == RunKind.Overlayfs)
        {
            await stack.CtrAsync("images", "pull", "--plain-http", reference);
        }
        else
        {
            (await stack.SociAsync("image", "rpull", "--plain-http", reference)).EnsureSuccess();
        }

        var pulled = clock.Elapsed;
        string[] snapshotter = kind == RunKind.Overlayfs ? [] : ["--snapshotter", "soci"];
        var output = await stack.CtrAsync(["run", "--rm", .. snapshotter, reference, container]);
        var ready = clock.Elapsed;
        var readyLine = output.Split('\n').FirstOrDefault(line => line.Contains(DebianImage.ReadyLine, StringComparison.Ordinal))
                        ?? throw new InvalidOperationException($"{kind} run of {reference}: the workload did not print \"{DebianImage.ReadyLine}\":\n{output}");

        // The access log line of the last response is written just after it is sent.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var measurement = new RunMeasurement(kind, pulled, ready, stack.Registry.BlobBytesServed() - bytesBefore, readyLine.Trim());
        await stack.CtrAsync("images", "remove", "--sync", reference);
        await stack.RestartDaemonAsync(emptyRoot: true);
        return measurement;
    }
}
