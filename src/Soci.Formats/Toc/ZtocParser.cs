using System.Text;
using System.Text.RegularExpressions;

namespace Soci.Formats.Toc;

/// <summary>Reads a ztoc FlatBuffer (formats §1.3) with every offset bounds-checked.</summary>
public static partial class ZtocParser
{
    public static Ztoc Parse(ReadOnlyMemory<byte> bytes)
    {
        var reader = new FlatBufferReader(bytes, "ztoc");
        var root = reader.Root();
        var files = ReadToc(reader, reader.Table(root, 4));
        var info = reader.Table(root, 5);
        var ztoc = new Ztoc
        {
            Version = Encoding.UTF8.GetString(reader.String(root, 0)),
            BuildToolIdentifier = ByteString.FromBytes(reader.String(root, 1)),
            CompressedArchiveSize = reader.ReadLong(root, 2, 0),
            UncompressedArchiveSize = reader.ReadLong(root, 3, 0),
            Files = SortAndLocateHeaders(files),
            CompressionAlgorithm = info < 0
                ? CompressionAlgorithms.Gzip
                : CompressionAlgorithms.FromWire(reader.ReadSByte(info, 0, CompressionAlgorithms.GzipValue)),
            MaxSpanId = info < 0 ? 0 : reader.ReadInt(info, 1, 0),
            SpanDigests = info < 0 ? [] : ReadDigests(reader, info),
            Checkpoints = info < 0 ? ReadOnlyMemory<byte>.Empty : CopyCheckpoints(reader, info),
        };
        return ztoc;
    }

    /// <summary>
    /// Reads the TOC. Entry types, owner names and PAX keys repeat across a layer's entries, so each distinct value is one
    /// shared (immutable) byte string: a large layer's parsed TOC is that much smaller while it is being used.
    /// </summary>
    private static List<FileMetadata> ReadToc(FlatBufferReader reader, int toc)
    {
        var files = new List<FileMetadata>();
        if (toc < 0)
        {
            return files;
        }
        var shared = new Dictionary<ByteString, ByteString>();
        var (start, count) = reader.VectorField(toc, 0, 4);
        for (var i = 0; i < count; i++)
        {
            var entry = reader.Deref(start + (i * 4));
            files.Add(new FileMetadata
            {
                Name = ByteString.FromBytes(reader.String(entry, 0)),
                Type = Shared(shared, reader.String(entry, 1)),
                UncompressedOffset = reader.ReadLong(entry, 2, 0),
                UncompressedSize = reader.ReadLong(entry, 3, 0),
                Linkname = ByteString.FromBytes(reader.String(entry, 4)),
                Mode = reader.ReadLong(entry, 5, 0),
                Uid = reader.ReadUInt(entry, 6, 0),
                Gid = reader.ReadUInt(entry, 7, 0),
                Uname = Shared(shared, reader.String(entry, 8)),
                Gname = Shared(shared, reader.String(entry, 9)),
                ModTime = ZtocTime.TryParseRfc3339(Encoding.UTF8.GetString(reader.String(entry, 10)), out var time) ? time : ZtocTime.Zero,
                DevMajor = reader.ReadLong(entry, 11, 0),
                DevMinor = reader.ReadLong(entry, 12, 0),
                PaxRecords = ReadPaxRecords(reader, entry, shared),
            });
        }
        return files;
    }

    private static ByteString Shared(Dictionary<ByteString, ByteString> shared, ReadOnlySpan<byte> bytes)
    {
        var value = ByteString.FromBytes(bytes);
        if (shared.TryGetValue(value, out var existing))
        {
            return existing;
        }
        shared[value] = value;
        return value;
    }

    private static IReadOnlyList<PaxRecord> ReadPaxRecords(FlatBufferReader reader, int entry, Dictionary<ByteString, ByteString> shared)
    {
        var (start, count) = reader.VectorField(entry, 13, 4);
        if (count == 0)
        {
            return [];
        }
        var records = new SortedDictionary<ByteString, ByteString>();
        for (var i = 0; i < count; i++)
        {
            var xattr = reader.Deref(start + (i * 4));
            records[Shared(shared, reader.String(xattr, 0))] = ByteString.FromBytes(reader.String(xattr, 1));
        }
        return records.Select(r => new PaxRecord(r.Key, r.Value)).ToList();
    }

    private static List<string> ReadDigests(FlatBufferReader reader, int info)
    {
        var (start, count) = reader.VectorField(info, 2, 4);
        var digests = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var text = Encoding.UTF8.GetString(reader.StringAt(reader.Deref(start + (i * 4))));
            digests.Add(DigestPattern().IsMatch(text) ? text : "");
        }
        return digests;
    }

    private static ReadOnlyMemory<byte> CopyCheckpoints(FlatBufferReader reader, int info)
    {
        var (start, count) = reader.VectorField(info, 3, 1);
        return reader.Slice(start, count).ToArray();
    }

    /// <summary>Sorts by data offset and derives each entry's header offset; overlapping entries are an error.</summary>
    private static List<FileMetadata> SortAndLocateHeaders(List<FileMetadata> files)
    {
        var sorted = files.OrderBy(f => f.UncompressedOffset).ToList();
        long nextHeader = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var file = sorted[i];
            if (nextHeader > file.UncompressedOffset)
            {
                throw new ZtocFormatException($"invalid toc entry: {file.Name} at offset {file.UncompressedOffset} overlaps the previous entry");
            }
            sorted[i] = file with { TarHeaderOffset = nextHeader };
            var end = file.UncompressedOffset + file.UncompressedSize;
            nextHeader = end + ((512 - (end % 512)) % 512);
        }
        return sorted;
    }

    [GeneratedRegex("^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$")]
    private static partial Regex DigestPattern();
}
