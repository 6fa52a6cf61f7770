using System.Runtime.InteropServices;

namespace Soci.Actors.Snapshotter.Mounts;

/// <summary>The few libc calls the snapshotter needs that .NET does not expose (x86_64/arm64 glibc layouts).</summary>
internal static partial class LinuxNative
{
    public const int MntForce = 1;
    public const int MntDetach = 2;
    public const long TmpfsMagic = 0x01021994;

    // struct stat on x86_64 glibc: st_ino at 8, st_nlink at 16, st_blocks at 64; 144 bytes in total.
    private const int StatSize = 144;
    private const int InodeOffset = 8;
    private const int UidOffset = 28;
    private const int GidOffset = 32;
    private const int BlocksOffset = 64;
    private const int StatfsSize = 120;

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatFs(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    /// <summary>(inode, 512-byte blocks allocated) of <paramref name="path"/> without following a symlink.</summary>
    public static (ulong Inode, long Blocks) InodeAndBlocks(string path)
    {
        Span<byte> buffer = stackalloc byte[StatSize];
        if (LStat(path, buffer) != 0)
        {
            throw new IOException($"lstat {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        return (BitConverter.ToUInt64(buffer[InodeOffset..]), BitConverter.ToInt64(buffer[BlocksOffset..]));
    }

    /// <summary>(uid, gid) owning <paramref name="path"/>.</summary>
    public static (uint Uid, uint Gid) Owner(string path)
    {
        Span<byte> buffer = stackalloc byte[StatSize];
        if (LStat(path, buffer) != 0)
        {
            throw new IOException($"lstat {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        return (BitConverter.ToUInt32(buffer[UidOffset..]), BitConverter.ToUInt32(buffer[GidOffset..]));
    }

    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (LChown(path, uid, gid) != 0)
        {
            throw new IOException($"lchown {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The filesystem magic number (statfs f_type) of the filesystem holding <paramref name="path"/>.</summary>
    public static long FileSystemType(string path)
    {
        Span<byte> buffer = stackalloc byte[StatfsSize];
        if (StatFs(path, buffer) != 0)
        {
            throw new IOException($"statfs {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        return BitConverter.ToInt64(buffer);
    }

    public static void Unmount(string target, int flags)
    {
        if (Umount2(target, flags) != 0)
        {
            throw new IOException($"umount {target}: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
