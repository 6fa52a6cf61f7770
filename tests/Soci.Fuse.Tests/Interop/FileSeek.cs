using System.Runtime.InteropServices;

namespace Soci.Fuse.Tests.Interop;

/// <summary>lseek(2) with SEEK_DATA/SEEK_HOLE, which FileStream cannot issue.</summary>
public static partial class FileSeek
{
    public const int SeekData = 3;
    public const int SeekHole = 4;

    /// <summary>Returns the resulting offset, or a negative errno.</summary>
    public static long Seek(string path, long offset, int whence)
    {
        var fd = Open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            var result = LSeek(fd, offset, whence);
            return result >= 0 ? result : -Marshal.GetLastPInvokeError();
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
