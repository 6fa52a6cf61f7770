using System.Runtime.InteropServices;

namespace Soci.Fuse.Tests.Interop;

/// <summary>libc's opendir/readdir/telldir/seekdir, which no .NET API exposes.</summary>
public sealed unsafe partial class DirectoryStream : IDisposable
{
    private nint _dir;

    public DirectoryStream(string path)
    {
        _dir = OpenDir(path);
        if (_dir == 0)
        {
            throw new IOException($"opendir {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The next name, or null at the end.</summary>
    public string? Next()
    {
        var entry = ReadDir(_dir);
        // struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
        return entry == 0 ? null : Marshal.PtrToStringUTF8(entry + 19);
    }

    public long Tell() => TellDir(_dir);

    public void Seek(long position) => SeekDir(_dir, position);

    public void Dispose()
    {
        if (_dir != 0)
        {
            _ = CloseDir(_dir);
            _dir = 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint OpenDir(string path);

    [LibraryImport("libc", EntryPoint = "readdir64")]
    private static partial nint ReadDir(nint dir);

    [LibraryImport("libc", EntryPoint = "telldir")]
    private static partial long TellDir(nint dir);

    [LibraryImport("libc", EntryPoint = "seekdir")]
    private static partial void SeekDir(nint dir, long position);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(nint dir);
}
