using System.Runtime.InteropServices;
using System.Text;
using Google.FlatBuffers;

namespace Soci.Formats.Toc;

/// <summary>
/// Writes a ztoc as FlatBuffers with exactly upstream's builder call order (formats §1.2), so the same
/// content gives the same bytes and therefore the same digest.
/// </summary>
public static class ZtocSerializer
{
    public static byte[] Serialize(Ztoc ztoc)
    {
        var builder = new FlatBufferBuilder(EstimateSize(ztoc));

        var version = CreateString(builder, Encoding.UTF8.GetBytes(ztoc.Version));
        var buildTool = CreateString(builder, ztoc.BuildToolIdentifier.Span);
        var toc = WriteToc(builder, ztoc.Files);

        builder.StartVector(1, ztoc.Checkpoints.Length, 1);
        builder.Add(MemoryMarshal.TryGetArray(ztoc.Checkpoints, out var segment) ? segment : new ArraySegment<byte>(ztoc.Checkpoints.ToArray()));
        var checkpoints = builder.EndVector();

        var digestOffsets = new int[ztoc.SpanDigests.Count];
        for (var i = 0; i < digestOffsets.Length; i++)
        {
            digestOffsets[i] = CreateString(builder, Encoding.UTF8.GetBytes(ztoc.SpanDigests[i]));
        }
        var digests = CreateOffsetVector(builder, digestOffsets);

        var algorithm = ztoc.CompressionAlgorithm;
        builder.StartTable(4);
        builder.AddInt(1, ztoc.MaxSpanId, 0);
        builder.AddOffset(2, digests, 0);
        builder.AddOffset(3, checkpoints.Value, 0);
        if (algorithm.Length > 0)
        {
            builder.AddSbyte(0, CompressionAlgorithms.ToWire(algorithm), CompressionAlgorithms.GzipValue);
        }
        var compressionInfo = builder.EndTable();

        builder.StartTable(6);
        builder.AddOffset(0, version, 0);
        builder.AddOffset(1, buildTool, 0);
        builder.AddOffset(4, toc, 0);
        builder.AddLong(2, ztoc.CompressedArchiveSize, 0);
        builder.AddLong(3, ztoc.UncompressedArchiveSize, 0);
        builder.AddOffset(5, compressionInfo, 0);
        var root = builder.EndTable();
        builder.Finish(root);
        return builder.SizedByteArray();
    }

    private static int WriteToc(FlatBufferBuilder builder, IReadOnlyList<FileMetadata> files)
    {
        var entries = new int[files.Count];
        for (var i = files.Count - 1; i >= 0; i--)
        {
            entries[i] = WriteFile(builder, files[i]);
        }
        var metadata = CreateOffsetVector(builder, entries);
        builder.StartTable(1);
        builder.AddOffset(0, metadata, 0);
        return builder.EndTable();
    }

    private static int WriteFile(FlatBufferBuilder builder, FileMetadata file)
    {
        var name = CreateString(builder, file.Name.Span);
        var type = CreateString(builder, file.Type.Span);
        var linkname = CreateString(builder, file.Linkname.Span);
        var uname = CreateString(builder, file.Uname.Span);
        var gname = CreateString(builder, file.Gname.Span);
        Span<byte> modTimeText = stackalloc byte[ZtocTime.MaxRfc3339Length];
        var modTime = CreateString(builder, modTimeText[..file.ModTime.FormatRfc3339(modTimeText)]);

        var records = SortedByKey(file.PaxRecords);
        var xattrOffsets = records.Length == 0 ? [] : new int[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            var key = CreateString(builder, records[i].Key.Span);
            var value = CreateString(builder, records[i].Value.Span);
            builder.StartTable(2);
            builder.AddOffset(0, key, 0);
            builder.AddOffset(1, value, 0);
            xattrOffsets[i] = builder.EndTable();
        }
        var xattrs = CreateOffsetVector(builder, xattrOffsets);

        builder.StartTable(14);
        builder.AddOffset(0, name, 0);
        builder.AddOffset(1, type, 0);
        builder.AddLong(2, file.UncompressedOffset, 0);
        builder.AddLong(3, file.UncompressedSize, 0);
        builder.AddOffset(4, linkname, 0);
        builder.AddLong(5, file.Mode, 0);
        builder.AddUint(6, file.Uid, 0);
        builder.AddUint(7, file.Gid, 0);
        builder.AddOffset(8, uname, 0);
        builder.AddOffset(9, gname, 0);
        builder.AddOffset(10, modTime, 0);
        builder.AddLong(11, file.DevMajor, 0);
        builder.AddLong(12, file.DevMinor, 0);
        builder.AddOffset(13, xattrs, 0);
        return builder.EndTable();
    }

    /// <summary>Upstream writes xattrs in key order. Most files have none; a few have one or two, so an insertion
    /// sort (stable, like upstream's) into one array is all it takes.</summary>
    private static PaxRecord[] SortedByKey(IReadOnlyList<PaxRecord> records)
    {
        if (records.Count == 0)
        {
            return [];
        }
        var sorted = new PaxRecord[records.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            var record = records[i];
            var at = i;
            for (; at > 0 && sorted[at - 1].Key.CompareTo(record.Key) > 0; at--)
            {
                sorted[at] = sorted[at - 1];
            }
            sorted[at] = record;
        }
        return sorted;
    }

    /// <summary>
    /// An upper bound of the serialized size, so the builder's buffer is allocated once: a large ztoc (tens of
    /// MB for a 40,000-file layer) otherwise grows by doubling and copying, twice the memory and a full GC.
    /// A string costs its bytes, a length, a NUL and up to 3 bytes of alignment; a file table its 14 fields, an
    /// soffset and up to 7 bytes of alignment, plus its slot in the file vector and an (often empty) xattr vector;
    /// an xattr table two offsets and its slot. Vtables are shared between tables of the same shape, and few
    /// shapes occur, so they get a fixed allowance.
    /// </summary>
    private static int EstimateSize(Ztoc ztoc)
    {
        const int PerString = 8;
        const int PerFile = 104 + 4 + 8 + (7 * PerString) + ZtocTime.MaxRfc3339Length;
        const int PerXattr = 16 + 4 + (2 * PerString);
        const int Vtables = 64 * 1024;
        long size = 1024 + Vtables + ztoc.Checkpoints.Length + ztoc.Version.Length + ztoc.BuildToolIdentifier.Length;
        foreach (var digest in ztoc.SpanDigests)
        {
            size += digest.Length + PerString + 4;
        }
        foreach (var file in ztoc.Files)
        {
            size += PerFile + file.Name.Length + file.Type.Length + file.Linkname.Length + file.Uname.Length + file.Gname.Length;
            foreach (var record in file.PaxRecords)
            {
                size += PerXattr + record.Key.Length + record.Value.Length;
            }
        }
        // FlatBuffers addresses at most 2 GiB; past that the builder's own checks report the overflow.
        return (int)Math.Min(size, int.MaxValue - 64);
    }

    /// <summary>Same layout as <c>CreateString</c>, but from raw bytes (ztoc strings need not be UTF-8).</summary>
    private static unsafe int CreateString(FlatBufferBuilder builder, ReadOnlySpan<byte> bytes)
    {
        builder.AddByte(0);
        builder.StartVector(1, bytes.Length, 1);
        if (!bytes.IsEmpty)
        {
            fixed (byte* data = bytes)
            {
                builder.Add<byte>((nint)data, bytes.Length);
            }
        }
        return builder.EndVector().Value;
    }

    private static int CreateOffsetVector(FlatBufferBuilder builder, int[] offsets)
    {
        builder.StartVector(4, offsets.Length, 4);
        for (var i = offsets.Length - 1; i >= 0; i--)
        {
            builder.AddOffset(offsets[i]);
        }
        return builder.EndVector().Value;
    }
}
