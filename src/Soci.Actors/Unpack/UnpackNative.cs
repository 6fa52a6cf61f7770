using System.Runtime.InteropServices;

namespace Soci.Actors.Unpack;

/// <summary>The libc calls an unpacker needs that .NET does not offer without following symlinks or at all.</summary>
internal static partial class UnpackNative
{
    public const uint CharacterDevice = 0x2000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MknodNative(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LchownNative(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "chmod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChmodNative(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string target, string path);

    [LibraryImport("libc", EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LsetxattrNative(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UtimensatNative(int directoryFd, string path, ReadOnlySpan<long> times, int flags);

    /// <summary>glibc's makedev.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static void Mknod(string path, uint mode, ulong device) => Check(MknodNative(path, mode, device), "mknod", path);

    public static void Lchown(string path, uint uid, uint gid) => Check(LchownNative(path, uid, gid), "lchown", path);

    public static void Chmod(string path, uint mode) => Check(ChmodNative(path, mode), "chmod", path);

    public static void Link(string target, string path) => Check(LinkNative(target, path), "link", path);

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value) =>
        Check(LsetxattrNative(path, name, value, (nuint)value.Length, 0), $"lsetxattr {name}", path);

    /// <summary>Sets atime and mtime of the path itself (not a symlink's target).</summary>
    public static void SetTimes(string path, long seconds, int nanoseconds) =>
        Check(UtimensatNative(AtFdCwd, path, [seconds, nanoseconds, seconds, nanoseconds], AtSymlinkNoFollow), "utimensat", path);

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }
}
