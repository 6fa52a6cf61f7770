using System.Runtime.InteropServices;
using System.Text;
using Soci.Fuse.Protocol;
using Soci.Fuse.Serving;

namespace Soci.Fuse.FileSystem;

/// <summary>
/// Packs directory entries into a READDIR or READDIRPLUS reply. Each entry carries the offset at which a
/// later listing resumes after it (telldir returns it); the kernel hands that offset back verbatim.
/// One instance per serving thread, reused across requests.
/// </summary>
public sealed class FuseDirectoryWriter
{
    private const int MaxNameBytes = 1024;
    private readonly FuseSession _session;
    private byte[] _buffer = [];
    private int _start;
    private int _limit;
    private int _position;
    private bool _plus;

    internal FuseDirectoryWriter(FuseSession session) => _session = session;

    internal void Reset(byte[] buffer, int start, int limit, bool plus)
    {
        _buffer = buffer;
        _start = start;
        _position = start;
        _limit = limit;
        _plus = plus;
    }

    internal int Length => _position - _start;

    /// <summary>Number of entries added since the listing request began.</summary>
    public int Count { get; private set; }

    internal void ResetCount() => Count = 0;

    /// <summary>Adds one entry; false (and nothing written) when the reply is full, so stop listing.</summary>
    public bool TryAdd(ReadOnlySpan<byte> name, in FuseEntry entry, long nextOffset)
    {
        var recordLength = (_plus ? EntryOut.Size : 0) + DirentHeader.Size + name.Length;
        var padded = (recordLength + 7) & ~7;
        if (_position + padded > _limit)
        {
            return false;
        }
        var record = _buffer.AsSpan(_position, padded);
        record.Clear();
        var direntAt = 0;
        var isDotEntry = name.SequenceEqual("."u8) || name.SequenceEqual(".."u8);
        if (_plus)
        {
            // "." and ".." get a zero entry so the kernel takes no reference to them.
            var entryOut = isDotEntry ? default : _session.ToEntryOut(entry);
            MemoryMarshal.Write(record, in entryOut);
            if (!isDotEntry)
            {
                _session.CountLookup(entry.Attributes.Ino);
            }
            direntAt = EntryOut.Size;
        }
        var dirent = new DirentHeader
        {
            Ino = entry.Attributes.Ino,
            Offset = (ulong)nextOffset,
            NameLength = (uint)name.Length,
            Type = entry.Attributes.DirentType,
        };
        MemoryMarshal.Write(record[direntAt..], in dirent);
        name.CopyTo(record[(direntAt + DirentHeader.Size)..]);
        _position += padded;
        Count++;
        return true;
    }

    /// <summary>Adds one entry named by a string.</summary>
    public bool TryAdd(string name, in FuseEntry entry, long nextOffset)
    {
        Span<byte> bytes = stackalloc byte[MaxNameBytes];
        var length = Encoding.UTF8.GetBytes(name, bytes);
        return TryAdd(bytes[..length], entry, nextOffset);
    }
}
