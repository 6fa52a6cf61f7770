using Soci.Fuse.FileSystem;
using Soci.Fuse.Protocol;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class InterruptTests
{
    [Fact]
    public void A_signal_to_a_reader_interrupts_a_long_read_and_the_handler_sees_it()
    {
        var fs = new BlockingReadFileSystem();
        fs.AddFile("slow", new BytesContent(new byte[8192])).OpenOptions = FuseOpenOptions.DirectIo;
        using var mount = TestMount.Start(fs);

        using var reader = Tool.Start("dd", $"if={mount.PathOf("slow")}", "of=/dev/null", "bs=4096", "count=1");
        WaitUntil(() => mount.Session.InFlight().Any(r => r.Opcode == FuseOpcode.Read));
        // SIGTERM, not SIGINT: a test run started in the background (nohup, CI) passes SIGINT on as ignored.
        Tool.Run("kill", "-TERM", reader.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnsureSuccess();

        Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(10)));
        WaitUntil(() => fs.Interrupted);
        WaitUntil(() => mount.Session.InFlight().Count == 0);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            Thread.Sleep(20);
        }
    }

    /// <summary>Reads block until the kernel interrupts them (or 30 s pass, so a broken test cannot hang).</summary>
    private sealed class BlockingReadFileSystem : MemoryFileSystem
    {
        private volatile bool _interrupted;

        public bool Interrupted => _interrupted;

        public override int Read(ulong ino, ulong fileHandle, long offset, Span<byte> buffer, out int bytesRead, FuseRequestContext context)
        {
            bytesRead = 0;
            if (!context.Interrupted.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)))
            {
                return Errno.EIO;
            }
            _interrupted = true;
            return Errno.EINTR;
        }
    }
}
