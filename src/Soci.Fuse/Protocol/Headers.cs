using System.Runtime.InteropServices;

namespace Soci.Fuse.Protocol;

/// <summary>fuse_in_header: precedes every request read from /dev/fuse.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InHeader
{
    public const int Size = 40;
    public uint Length;
    public FuseOpcode Opcode;
    public ulong Unique;
    public ulong NodeId;
    public uint Uid;
    public uint Gid;
    public uint Pid;
    public ushort TotalExtLength;
    public ushort Padding;
}

/// <summary>fuse_out_header: precedes every reply (error is a negative errno) and every notification.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OutHeader
{
    public const int Size = 16;
    public uint Length;
    public int Error;
    public ulong Unique;
}
