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
        var builder = new FlatBufferBuilder(1024 + ztoc.Checkpoints.Length + (ztoc.Files.Count * 256));

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
        var modTime = CreateString(builder, Encoding.UTF8.GetBytes(file.ModTime.ToRfc3339()));

        var records = file.PaxRecords.OrderBy(r => r.Key).ToList();
        var xattrOffsets = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
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
