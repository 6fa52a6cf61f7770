using System.Runtime.InteropServices;

namespace Soci.Fuse.Protocol;

/// <summary>fuse_getattr_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GetAttrIn
{
    public const int Size = 16;
    public uint GetAttrFlags;
    public uint Dummy;
    public ulong FileHandle;
}

/// <summary>fuse_open_in (OPEN and OPENDIR).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OpenIn
{
    public const int Size = 8;
    public uint Flags;
    public uint OpenFlags;
}

/// <summary>fuse_open_out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OpenOut
{
    public const int Size = 16;
    public ulong FileHandle;
    public uint OpenFlags;
    public uint Padding;
}

/// <summary>fuse_read_in (READ, READDIR, READDIRPLUS).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ReadIn
{
    public const int Size = 40;
    public ulong FileHandle;
    public ulong Offset;
    public uint ReadSize;
    public uint ReadFlags;
    public ulong LockOwner;
    public uint Flags;
    public uint Padding;
}

/// <summary>fuse_release_in (RELEASE and RELEASEDIR).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ReleaseIn
{
    public const int Size = 24;
    public ulong FileHandle;
    public uint Flags;
    public uint ReleaseFlags;
    public ulong LockOwner;
}

/// <summary>fuse_forget_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ForgetIn
{
    public const int Size = 8;
    public ulong Lookups;
}

/// <summary>fuse_batch_forget_in, followed by Count fuse_forget_one records.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BatchForgetIn
{
    public const int Size = 8;
    public uint Count;
    public uint Dummy;
}

/// <summary>fuse_forget_one.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ForgetOne
{
    public const int Size = 16;
    public ulong NodeId;
    public ulong Lookups;
}

/// <summary>fuse_interrupt_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InterruptIn
{
    public const int Size = 8;
    public ulong Unique;
}

/// <summary>fuse_getxattr_in (GETXATTR, followed by the name; LISTXATTR).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GetXattrIn
{
    public const int Size = 8;
    public uint BufferSize;
    public uint Padding;
}

/// <summary>fuse_getxattr_out: the reply to a size probe (BufferSize 0).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GetXattrOut
{
    public const int Size = 8;
    public uint ValueSize;
    public uint Padding;
}

/// <summary>fuse_access_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AccessIn
{
    public const int Size = 8;
    public uint Mask;
    public uint Padding;
}

/// <summary>fuse_lseek_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LseekIn
{
    public const int Size = 24;
    public ulong FileHandle;
    public ulong Offset;
    public uint Whence;
    public uint Padding;
}

/// <summary>fuse_lseek_out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LseekOut
{
    public const int Size = 8;
    public ulong Offset;
}

/// <summary>fuse_poll_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollIn
{
    public const int Size = 24;
    public ulong FileHandle;
    public ulong KernelHandle;
    public uint Flags;
    public uint Events;
}

/// <summary>fuse_poll_out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollOut
{
    public const int Size = 8;
    public uint Revents;
    public uint Padding;
}

/// <summary>fuse_notify_poll_wakeup_out (FUSE_NOTIFY_POLL).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NotifyPollWakeupOut
{
    public const int Size = 8;
    public ulong KernelHandle;
}

/// <summary>fuse_statx_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxIn
{
    public const int Size = 24;
    public uint GetAttrFlags;
    public uint Reserved;
    public ulong FileHandle;
    public uint StatxFlags;
    public uint StatxMask;
}
