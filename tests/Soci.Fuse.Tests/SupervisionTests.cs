using System.Diagnostics;
using System.Globalization;
using Soci.Fuse.FileSystem;
using Soci.Fuse.Protocol;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class SupervisionTests
{
    [Fact]
    public void A_stuck_handler_shows_up_as_an_old_in_flight_request_and_restarting_serving_unblocks_the_caller()
    {
        var fs = new GatedFileSystem();
        fs.AddFile("stuck", new BytesContent(new byte[8192])).OpenOptions = FuseOpenOptions.DirectIo;
        fs.AddFile("fine.txt", "fine\n");
        using var mount = TestMount.Start(fs);
        try
        {
            using var reader = Tool.Start("cat", mount.PathOf("stuck"));
            WaitUntil(() => mount.Session.InFlight().Any(r => r.Opcode == FuseOpcode.Read && r.Age > TimeSpan.FromMilliseconds(300)));
            var stuck = mount.Session.InFlight()[0];
            Assert.Equal(FuseOpcode.Read, stuck.Opcode);

            Assert.Equal(1, mount.Session.RestartServing(TimeSpan.FromMilliseconds(300)));
            Assert.Equal(1, mount.Session.AbandonedThreads);

            Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(10)), "the reader stayed blocked after the restart");
            Assert.Contains("Input/output error", reader.StandardError.ReadToEnd());
            Assert.True(mount.Session.Mount.IsMounted);
            Assert.Equal(2, mount.Session.Generation);
            Assert.Equal("fine\n", Tool.Run("cat", mount.PathOf("fine.txt")).EnsureSuccess().Stdout);
            Assert.Empty(mount.Session.InFlight());
        }
        finally
        {
            fs.Release();
        }
        // The stuck thread's late reply is dropped and the thread exits.
        WaitUntil(() => mount.Session.AbandonedThreads == 0);
        Assert.InRange(mount.Session.LiveServingThreads, 1, mount.Session.Options.ServingThreads);
        Assert.Equal("fine\n", Tool.Run("cat", mount.PathOf("fine.txt")).EnsureSuccess().Stdout);
    }

    [Fact]
    public void Killing_the_serving_process_fails_pending_and_new_calls_instead_of_hanging_them()
    {
        var root = Directory.CreateTempSubdirectory("soci-fuse-kill-").FullName;
        var mountPoint = Directory.CreateDirectory(Path.Combine(root, "mnt")).FullName;
        var server = Path.Combine(AppContext.BaseDirectory, "Soci.Fuse.BenchServer.dll");
        using var serving = Tool.Start("dotnet", server, mountPoint, "2");
        try
        {
            Assert.Equal("READY", serving.StandardOutput.ReadLine());
            using var reader = Tool.Start("dd", $"if={Path.Combine(mountPoint, "big.bin")}", "of=/dev/null", "bs=64k", "iflag=direct");
            WaitUntil(() => ReadBytes(reader) > 1 << 20);

            serving.Kill();
            Assert.True(serving.WaitForExit(TimeSpan.FromSeconds(10)));

            Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(10)), "a reader hung after the server was killed");
            Assert.NotEqual(0, reader.ExitCode);
            var stat = Tool.Run(TimeSpan.FromSeconds(10), "stat", mountPoint);
            Assert.Contains("Transport endpoint is not connected", stat.Stderr);
        }
        finally
        {
            if (!serving.HasExited)
            {
                serving.Kill();
            }
            Cleanup.UnmountEverythingUnder(root);
            Directory.Delete(root, recursive: true);
        }
    }

    private static long ReadBytes(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 15 s");
            Thread.Sleep(20);
        }
    }

    /// <summary>Reads of "stuck" block until the test releases them, ignoring interrupts like a hung backend would.</summary>
    private sealed class GatedFileSystem : MemoryFileSystem
    {
        private readonly ManualResetEventSlim _gate = new();

        public void Release() => _gate.Set();

        public override int Read(ulong ino, ulong fileHandle, long offset, Span<byte> buffer, out int bytesRead, FuseRequestContext context)
        {
            if (Find("stuck")!.Ino == ino)
            {
                _gate.Wait(TimeSpan.FromSeconds(60));
            }
            return base.Read(ino, fileHandle, offset, buffer, out bytesRead, context);
        }
    }
}
