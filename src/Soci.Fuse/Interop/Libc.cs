using System.Runtime.InteropServices;

namespace Soci.Fuse.Interop;

/// <summary>
/// The libc calls the FUSE library needs. Every call returns its result, or a negative errno, instead of
/// throwing, so callers can follow the protocol's retry rules (EINTR, EAGAIN, ENOENT, ENODEV).
/// </summary>
internal static unsafe partial class Libc
{
    public const int ORdwr = 0x2;
    public const int OCloexec = 0x80000;

    public const ulong MsRdonly = 0x1;
    public const ulong MsNosuid = 0x2;
    public const ulong MsNodev = 0x4;

    public const int MntForce = 0x1;
    public const int MntDetach = 0x2;

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountNative(string source, string target, string fsType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2Native(string target, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPairNative(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsgNative(int fd, MsgHdr* message, int flags);

    /// <summary>Returns the new descriptor, or a negative errno.</summary>
    public static int Open(string path, int flags)
    {
        var fd = OpenNative(path, flags);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    public static int Close(int fd) => CloseNative(fd) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary>Returns the number of bytes read, or a negative errno.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = ReadNative(fd, p, (nuint)buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Writes the whole buffer in one call; returns the bytes written or a negative errno.</summary>
    public static int Write(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = WriteNative(fd, p, (nuint)buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    public static int Mount(string source, string target, string fsType, ulong flags, string data) =>
        MountNative(source, target, fsType, flags, data) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    public static int Umount2(string target, int flags) =>
        Umount2Native(target, flags) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary>Creates a connected pair of unix stream sockets; the descriptors are inheritable.</summary>
    public static int SocketPair(out int first, out int second)
    {
        var fds = stackalloc int[2];
        if (SocketPairNative(AfUnix, SockStream, 0, fds) != 0)
        {
            first = second = -1;
            return -Marshal.GetLastPInvokeError();
        }
        first = fds[0];
        second = fds[1];
        return 0;
    }

    /// <summary>Receives one descriptor passed with SCM_RIGHTS; returns it, or a negative errno (ENODATA when
    /// the peer closed the socket without sending one).</summary>
    public static int ReceiveDescriptor(int socket)
    {
        const int ENODATA = 61;
        byte payload;
        var control = stackalloc byte[CmsgSpaceForOneInt];
        var iov = new IoVec { Base = &payload, Length = 1 };
        var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpaceForOneInt };
        nint n;
        do
        {
            n = RecvMsgNative(socket, &message, MsgCmsgCloexec);
        }
        while (n < 0 && Marshal.GetLastPInvokeError() == 4);
        if (n < 0)
        {
            return -Marshal.GetLastPInvokeError();
        }
        var header = (CmsgHdr*)control;
        if (n == 0 || message.ControlLength < (nuint)sizeof(CmsgHdr) || header->Level != SolSocket || header->Type != ScmRights)
        {
            return -ENODATA;
        }
        return *(int*)(control + sizeof(CmsgHdr));
    }

    // cmsghdr (16 bytes on 64-bit) followed by one int, aligned to 8.
    private const int CmsgSpaceForOneInt = 24;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }
}
