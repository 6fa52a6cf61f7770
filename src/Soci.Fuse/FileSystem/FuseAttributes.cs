namespace Soci.Fuse.FileSystem;

/// <summary>
/// The attributes of one node as the kernel sees them (stat). <see cref="Ino"/> is the inode number the
/// filesystem chose; it is also the node's identity in every later call.
/// </summary>
public struct FuseAttributes
{
    public ulong Ino;
    public ulong Size;
    /// <summary>Number of 512-byte blocks.</summary>
    public ulong Blocks;
    /// <summary>File type and permission bits (S_IFREG|0644 …).</summary>
    public uint Mode;
    public uint Nlink;
    public uint Uid;
    public uint Gid;
    /// <summary>Device number for character and block devices, encoded as the kernel's new_encode_dev.</summary>
    public uint Rdev;
    public uint BlockSize;
    public FuseTime Atime;
    public FuseTime Mtime;
    public FuseTime Ctime;

    /// <summary>The dirent type (DT_*) that goes with <see cref="Mode"/>.</summary>
    public readonly uint DirentType => (Mode & FileModes.TypeMask) >> 12;

    /// <summary>Encodes a major/minor pair the way the kernel decodes fuse_attr.rdev.</summary>
    public static uint EncodeDevice(uint major, uint minor) =>
        (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/// <summary>A timestamp as seconds and nanoseconds since the Unix epoch.</summary>
public readonly record struct FuseTime(long Seconds, uint Nanoseconds)
{
    public static FuseTime FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return new FuseTime(seconds, (uint)(rest * 100));
    }
}

/// <summary>File type bits of st_mode.</summary>
public static class FileModes
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint Block = 0x6000;
    public const uint Directory = 0x4000;
    public const uint Character = 0x2000;
    public const uint Fifo = 0x1000;
}
