using System.Runtime.InteropServices;

namespace Soci.Fuse.Protocol;

/// <summary>fuse_attr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WireAttr
{
    public const int Size = 88;
    public ulong Ino;
    public ulong FileSize;
    public ulong Blocks;
    public ulong Atime;
    public ulong Mtime;
    public ulong Ctime;
    public uint AtimeNsec;
    public uint MtimeNsec;
    public uint CtimeNsec;
    public uint Mode;
    public uint Nlink;
    public uint Uid;
    public uint Gid;
    public uint Rdev;
    public uint BlockSize;
    public uint Flags;
}

/// <summary>fuse_entry_out: the reply to LOOKUP and the head of each READDIRPLUS record.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EntryOut
{
    public const int Size = 128;
    public ulong NodeId;
    public ulong Generation;
    public ulong EntryValid;
    public ulong AttrValid;
    public uint EntryValidNsec;
    public uint AttrValidNsec;
    public WireAttr Attr;
}

/// <summary>fuse_attr_out: the reply to GETATTR.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AttrOut
{
    public const int Size = 104;
    public ulong AttrValid;
    public uint AttrValidNsec;
    public uint Dummy;
    public WireAttr Attr;
}

/// <summary>fuse_sx_time.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxTime
{
    public long Seconds;
    public uint Nanoseconds;
    public int Reserved;
}

/// <summary>fuse_statx (protocol 7.39); the spare tail is covered by Size.</summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct WireStatx
{
    public const int Size = 256;
    public uint Mask;
    public uint BlockSize;
    public ulong Attributes;
    public uint Nlink;
    public uint Uid;
    public uint Gid;
    public ushort Mode;
    public ushort Spare0;
    public ulong Ino;
    public ulong FileSize;
    public ulong Blocks;
    public ulong AttributesMask;
    public StatxTime Atime;
    public StatxTime Btime;
    public StatxTime Ctime;
    public StatxTime Mtime;
    public uint RdevMajor;
    public uint RdevMinor;
    public uint DevMajor;
    public uint DevMinor;
}

/// <summary>fuse_statx_out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxOut
{
    public const int Size = 288;
    public ulong AttrValid;
    public uint AttrValidNsec;
    public uint Flags;
    public ulong Spare0;
    public ulong Spare1;
    public WireStatx Stat;
}

/// <summary>fuse_kstatfs, the whole STATFS reply.</summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct StatFsOut
{
    public const int Size = 80;
    public ulong Blocks;
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public uint BlockSize;
    public uint NameLength;
    public uint FragmentSize;
}

/// <summary>fuse_dirent without its name: each READDIR record is this plus the name padded to 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DirentHeader
{
    public const int Size = 24;
    public ulong Ino;
    public ulong Offset;
    public uint NameLength;
    public uint Type;
}
