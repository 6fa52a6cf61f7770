using System.Text;
using Soci.Fuse.FileSystem;
using Soci.Fuse.Tests.Interop;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class XattrTests
{
    [Fact]
    public void Getfattr_reads_values_lists_names_and_reports_missing_attributes()
    {
        var fs = new MemoryFileSystem();
        var dir = fs.AddDirectory("opaque");
        dir.Xattrs["trusted.overlay.opaque"] = "y"u8.ToArray();
        var file = fs.AddFile("file", "x");
        file.Xattrs["user.origin"] = Encoding.UTF8.GetBytes("layer-1");
        file.Xattrs["user.big"] = new byte[3000];
        using var mount = TestMount.Start(fs);

        Assert.Equal("y", Tool.Run("getfattr", "--only-values", "-n", "trusted.overlay.opaque", mount.PathOf("opaque")).EnsureSuccess().Stdout);
        Assert.Equal("layer-1", Tool.Run("getfattr", "--only-values", "-n", "user.origin", mount.PathOf("file")).EnsureSuccess().Stdout);
        var names = Tool.Run("getfattr", "-d", "-m", "-", "--absolute-names", mount.PathOf("file")).EnsureSuccess().Stdout;
        Assert.Contains("user.origin=\"layer-1\"", names);
        Assert.Contains("user.big=", names);
        var missing = Tool.Run("getfattr", "-n", "user.nothing", mount.PathOf("file"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such attribute", missing.Stderr);
    }

    [Fact]
    public void A_filesystem_without_xattrs_reports_them_unsupported()
    {
        var fs = new MemoryFileSystem { XattrsEnabled = false };
        fs.AddFile("file", "x");
        using var mount = TestMount.Start(fs);

        var result = Tool.Run("getfattr", "-n", "user.anything", mount.PathOf("file"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Operation not supported", result.Stderr);
    }

    [Fact]
    public void Lseek_with_seek_data_and_seek_hole_reaches_the_filesystem()
    {
        var fs = new DataThenHoleFileSystem();
        fs.AddFile("file", new BytesContent(new byte[10_000]));
        using var mount = TestMount.Start(fs);

        Assert.Equal(1234, FileSeek.Seek(mount.PathOf("file"), 1234, FileSeek.SeekData));
        Assert.Equal(DataThenHoleFileSystem.DataEnd, FileSeek.Seek(mount.PathOf("file"), 1234, FileSeek.SeekHole));
        Assert.Equal(-Errno.ENXIO, FileSeek.Seek(mount.PathOf("file"), 5000, FileSeek.SeekData));
    }

    /// <summary>Every file holds data in its first 4 KiB and a hole after it.</summary>
    private sealed class DataThenHoleFileSystem : MemoryFileSystem
    {
        public const long DataEnd = 4096;

        public override int Seek(ulong ino, ulong fileHandle, long offset, int whence, out long result, FuseRequestContext context)
        {
            result = whence == SeekWhence.Hole ? Math.Max(offset, DataEnd) : offset;
            return whence == SeekWhence.Data && offset >= DataEnd ? Errno.ENXIO : 0;
        }
    }
}
