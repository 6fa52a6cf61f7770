using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Soci.Fuse.FileSystem;
using Soci.Fuse.Protocol;

namespace Soci.Fuse.Serving;

/// <summary>
/// Decodes one request, calls the filesystem and encodes the reply payload. Returns 0 or an errno; the
/// serving thread sends the reply. Requests that must not be answered never reach this type.
/// </summary>
internal sealed class RequestDispatcher
{
    private const int OAccessMode = 3;
    private const uint StatxBasicStats = 0x7ff;

    private readonly FuseSession _session;
    private readonly FuseFileSystem _fs;
    private readonly FuseDirectoryWriter _directory;
    private readonly List<string> _xattrNames = [];

    public RequestDispatcher(FuseSession session)
    {
        _session = session;
        _fs = session.FileSystem;
        _directory = new FuseDirectoryWriter(session);
    }

    /// <param name="reply">The whole reply buffer; the payload goes after the out header.</param>
    public int Dispatch(in InHeader header, ReadOnlySpan<byte> body, byte[] reply, FuseRequestContext context, out int length)
    {
        length = 0;
        var payload = reply.AsSpan(OutHeader.Size);
        var ino = _session.NodeIds.ToInode(header.NodeId);
        switch (header.Opcode)
        {
            case FuseOpcode.Lookup:
                return Lookup(ino, CString(body), payload, context, out length);
            case FuseOpcode.GetAttr:
                return GetAttr(ino, payload, context, out length);
            case FuseOpcode.Statx:
                return Statx(ino, payload, context, out length);
            case FuseOpcode.ReadLink:
                return ReadLink(ino, payload, context, out length);
            case FuseOpcode.Open:
                return Open(ino, Read<OpenIn>(body), payload, context, out length);
            case FuseOpcode.Read:
                return ReadFile(ino, Read<ReadIn>(body), payload, context, out length);
            case FuseOpcode.Release:
                _fs.Release(ino, Read<ReleaseIn>(body).FileHandle);
                return 0;
            case FuseOpcode.Flush:
                // Nothing is ever dirty; ENOSYS makes the kernel stop sending FLUSH on every close.
                return Errno.ENOSYS;
            case FuseOpcode.OpenDir:
                return OpenDir(ino, payload, context, out length);
            case FuseOpcode.ReadDir:
            case FuseOpcode.ReadDirPlus:
                return ReadDir(ino, Read<ReadIn>(body), header.Opcode == FuseOpcode.ReadDirPlus, reply, context, out length);
            case FuseOpcode.ReleaseDir:
                _fs.ReleaseDir(ino, Read<ReleaseIn>(body).FileHandle);
                return 0;
            case FuseOpcode.GetXattr:
                return GetXattr(ino, Read<GetXattrIn>(body).BufferSize, CString(body[GetXattrIn.Size..]), payload, context, out length);
            case FuseOpcode.ListXattr:
                return ListXattr(ino, Read<GetXattrIn>(body).BufferSize, payload, context, out length);
            case FuseOpcode.StatFs:
                return StatFs(ino, payload, context, out length);
            case FuseOpcode.Access:
                return _fs.Access(ino, (int)Read<AccessIn>(body).Mask, context);
            case FuseOpcode.Lseek:
                return Seek(ino, Read<LseekIn>(body), payload, context, out length);
            case FuseOpcode.Poll:
                return Poll(ino, Read<PollIn>(body), payload, context, out length);
            case FuseOpcode.Destroy:
                return 0;
            case FuseOpcode.SetAttr:
            case FuseOpcode.Write:
            case FuseOpcode.SetXattr:
            case FuseOpcode.RemoveXattr:
                return Errno.EROFS;
            case FuseOpcode.Init:
                return Errno.EPROTO;
            default:
                return IsNamespaceChange(header.Opcode) ? Errno.EROFS : Errno.ENOSYS;
        }
    }

    // SYMLINK, MKNOD, MKDIR, UNLINK, RMDIR, RENAME, LINK, CREATE, FALLOCATE, RENAME2, COPY_FILE_RANGE, TMPFILE.
    private static bool IsNamespaceChange(FuseOpcode opcode) =>
        (uint)opcode is 6 or (>= 8 and <= 13) or 35 or 43 or 45 or 47 or 51;

    private int Lookup(ulong parent, ReadOnlySpan<byte> name, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.Lookup(parent, name, out var entry, context);
        if (rc == Errno.ENOENT && _session.NegativeTimeout.Seconds + _session.NegativeTimeout.Nanoseconds > 0)
        {
            // A zero node id with a timeout caches the miss in the dentry cache.
            var negative = new EntryOut { EntryValid = _session.NegativeTimeout.Seconds, EntryValidNsec = _session.NegativeTimeout.Nanoseconds };
            return Write(payload, in negative, out length);
        }
        if (rc != 0)
        {
            return rc;
        }
        var entryOut = _session.ToEntryOut(entry);
        _session.CountLookup(entry.Attributes.Ino);
        return Write(payload, in entryOut, out length);
    }

    private int GetAttr(ulong ino, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.GetAttr(ino, out var attributes, context);
        if (rc != 0)
        {
            return rc;
        }
        var attrOut = new AttrOut
        {
            AttrValid = _session.AttributeTimeout.Seconds,
            AttrValidNsec = _session.AttributeTimeout.Nanoseconds,
            Attr = FuseSession.ToWireAttr(attributes),
        };
        return Write(payload, in attrOut, out length);
    }

    private int Statx(ulong ino, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.GetAttr(ino, out var a, context);
        if (rc != 0)
        {
            return rc;
        }
        var statx = new StatxOut
        {
            AttrValid = _session.AttributeTimeout.Seconds,
            AttrValidNsec = _session.AttributeTimeout.Nanoseconds,
            Stat = new WireStatx
            {
                Mask = StatxBasicStats,
                BlockSize = a.BlockSize,
                Nlink = a.Nlink,
                Uid = a.Uid,
                Gid = a.Gid,
                Mode = (ushort)a.Mode,
                Ino = a.Ino,
                FileSize = a.Size,
                Blocks = a.Blocks,
                Atime = new StatxTime { Seconds = a.Atime.Seconds, Nanoseconds = a.Atime.Nanoseconds },
                Mtime = new StatxTime { Seconds = a.Mtime.Seconds, Nanoseconds = a.Mtime.Nanoseconds },
                Ctime = new StatxTime { Seconds = a.Ctime.Seconds, Nanoseconds = a.Ctime.Nanoseconds },
                RdevMajor = (a.Rdev & 0xfff00) >> 8,
                RdevMinor = (a.Rdev & 0xff) | ((a.Rdev >> 12) & 0xfff00),
            },
        };
        return Write(payload, in statx, out length);
    }

    private int ReadLink(ulong ino, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.ReadLink(ino, out var target, context);
        if (rc != 0)
        {
            return rc;
        }
        if (target.Length > payload.Length)
        {
            return Errno.EIO;
        }
        target.Span.CopyTo(payload);
        length = target.Length;
        return 0;
    }

    private int Open(ulong ino, in OpenIn open, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        if (_session.Options.ReadOnly && (open.Flags & OAccessMode) != 0)
        {
            return Errno.EROFS;
        }
        var rc = _fs.Open(ino, (int)open.Flags, out var handle, out var options, context);
        if (rc != 0)
        {
            return rc;
        }
        var openOut = new OpenOut { FileHandle = handle, OpenFlags = (uint)options };
        return Write(payload, in openOut, out length);
    }

    private int ReadFile(ulong ino, in ReadIn read, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var size = (int)Math.Min(read.ReadSize, (uint)payload.Length);
        var rc = _fs.Read(ino, read.FileHandle, (long)read.Offset, payload[..size], out var n, context);
        if (rc != 0)
        {
            return rc;
        }
        length = Math.Clamp(n, 0, size);
        return 0;
    }

    private int OpenDir(ulong ino, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.OpenDir(ino, out var handle, out var options, context);
        if (rc != 0)
        {
            return rc;
        }
        var openOut = new OpenOut { FileHandle = handle, OpenFlags = (uint)options };
        return Write(payload, in openOut, out length);
    }

    private int ReadDir(ulong ino, in ReadIn read, bool plus, byte[] reply, FuseRequestContext context, out int length)
    {
        length = 0;
        var limit = OutHeader.Size + (int)Math.Min(read.ReadSize, (uint)(reply.Length - OutHeader.Size));
        _directory.Reset(reply, OutHeader.Size, limit, plus);
        _directory.ResetCount();
        var rc = _fs.ReadDir(ino, read.FileHandle, (long)read.Offset, _directory, context);
        if (rc != 0)
        {
            return rc;
        }
        length = _directory.Length;
        return 0;
    }

    private int GetXattr(ulong ino, uint bufferSize, ReadOnlySpan<byte> name, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.GetXattr(ino, Encoding.UTF8.GetString(name), out var value, context);
        if (rc != 0)
        {
            return rc;
        }
        return SizedReply(value.Span, bufferSize, payload, out length);
    }

    private int ListXattr(ulong ino, uint bufferSize, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        _xattrNames.Clear();
        var rc = _fs.ListXattr(ino, _xattrNames, context);
        if (rc != 0)
        {
            return rc;
        }
        var total = 0;
        foreach (var name in _xattrNames)
        {
            total += Encoding.UTF8.GetByteCount(name) + 1;
        }
        var list = new byte[total];
        var at = 0;
        foreach (var name in _xattrNames)
        {
            at += Encoding.UTF8.GetBytes(name, list.AsSpan(at));
            list[at++] = 0;
        }
        return SizedReply(list, bufferSize, payload, out length);
    }

    /// <summary>The xattr size protocol: a zero-sized request asks for the size, a too-small one gets ERANGE.</summary>
    private static int SizedReply(ReadOnlySpan<byte> value, uint bufferSize, Span<byte> payload, out int length)
    {
        length = 0;
        if (bufferSize == 0)
        {
            var sizeOut = new GetXattrOut { ValueSize = (uint)value.Length };
            return Write(payload, in sizeOut, out length);
        }
        if (value.Length > bufferSize || value.Length > payload.Length)
        {
            return Errno.ERANGE;
        }
        value.CopyTo(payload);
        length = value.Length;
        return 0;
    }

    private int StatFs(ulong ino, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.StatFs(ino, out var s, context);
        if (rc != 0)
        {
            return rc;
        }
        var statFs = new StatFsOut
        {
            Blocks = s.Blocks,
            BlocksFree = s.BlocksFree,
            BlocksAvailable = s.BlocksAvailable,
            Files = s.Files,
            FilesFree = s.FilesFree,
            BlockSize = s.BlockSize,
            NameLength = s.NameLength,
            FragmentSize = s.FragmentSize,
        };
        return Write(payload, in statFs, out length);
    }

    private int Seek(ulong ino, in LseekIn seek, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.Seek(ino, seek.FileHandle, (long)seek.Offset, (int)seek.Whence, out var result, context);
        if (rc != 0)
        {
            return rc;
        }
        var seekOut = new LseekOut { Offset = (ulong)result };
        return Write(payload, in seekOut, out length);
    }

    private int Poll(ulong ino, in PollIn poll, Span<byte> payload, FuseRequestContext context, out int length)
    {
        length = 0;
        var rc = _fs.Poll(ino, poll.FileHandle, poll.Events, out var ready, context);
        if (rc != 0)
        {
            return rc;
        }
        var pollOut = new PollOut { Revents = ready };
        return Write(payload, in pollOut, out length);
    }

    private static int Write<T>(Span<byte> payload, in T value, out int length) where T : unmanaged
    {
        MemoryMarshal.Write(payload, in value);
        length = Unsafe.SizeOf<T>();
        return 0;
    }

    /// <summary>Reads a wire struct, treating a body shorter than the struct as zero-padded (older kernels
    /// send shorter versions of some structs).</summary>
    internal static T Read<T>(ReadOnlySpan<byte> body) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (body.Length >= size)
        {
            return MemoryMarshal.Read<T>(body);
        }
        Span<byte> padded = stackalloc byte[size];
        padded.Clear();
        body.CopyTo(padded);
        return MemoryMarshal.Read<T>(padded);
    }

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return end < 0 ? bytes : bytes[..end];
    }
}
