using System.Runtime.InteropServices;
using System.Text;

namespace Soci.Layers.Tests.Support;

/// <summary>The few libc calls the tree comparison needs that .NET does not expose (x86_64 struct stat).</summary>
public static partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong Dev;
        public ulong Ino;
        public ulong Nlink;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Padding;
        public ulong Rdev;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public long AtimeSeconds;
        public long AtimeNanoseconds;
        public long MtimeSeconds;
        public long MtimeNanoseconds;
        public long CtimeSeconds;
        public long CtimeNanoseconds;
        public long Reserved1;
        public long Reserved2;
        public long Reserved3;

        public readonly uint Major => (uint)(((Rdev >> 8) & 0xfff) | ((Rdev >> 32) & ~0xfffUL));

        public readonly uint Minor => (uint)((Rdev & 0xff) | ((Rdev >> 12) & ~0xffUL));
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStatNative(string path, out Stat stat);

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint LListXattr(string path, Span<byte> list, nint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint LGetXattr(string path, string name, Span<byte> value, nint size);

    public static Stat LStat(string path) =>
        LStatNative(path, out var stat) == 0 ? stat : throw new IOException($"lstat {path}: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>The node's xattrs (names sorted) with values as text.</summary>
    public static SortedDictionary<string, string> Xattrs(string path)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var buffer = new byte[64 * 1024];
        var length = LListXattr(path, buffer, buffer.Length);
        if (length < 0)
        {
            throw new IOException($"llistxattr {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var name in Encoding.UTF8.GetString(buffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var valueLength = LGetXattr(path, name, buffer, buffer.Length);
            if (valueLength < 0)
            {
                throw new IOException($"lgetxattr {path} {name}: errno {Marshal.GetLastPInvokeError()}");
            }
            result[name] = Encoding.UTF8.GetString(buffer, 0, (int)valueLength);
        }
        return result;
    }
}
