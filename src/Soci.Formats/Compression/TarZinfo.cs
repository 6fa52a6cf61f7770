using Google.FlatBuffers;
using Soci.Formats.Toc;

namespace Soci.Formats.Compression;

/// <summary>
/// Zinfo of an uncompressed tar layer (formats §3): a tiny FlatBuffer {version, span_size, size};
/// spans are fixed-size slices of the file.
/// </summary>
public sealed class TarZinfo : Zinfo
{
    public const int CurrentVersion = 2;

    private readonly long _size;

    private TarZinfo(int version, long spanSize, long size, long compressedSize, long uncompressedSize)
        : base(compressedSize, uncompressedSize)
    {
        Version = version;
        SpanSize = spanSize;
        _size = size;
    }

    public int Version { get; }

    public override long SpanSize { get; }

    public override int MaxSpanId => (int)((_size / SpanSize) - (_size % SpanSize == 0 ? 1 : 0));

    public static TarZinfo Parse(ReadOnlyMemory<byte> blob, long compressedSize, long uncompressedSize)
    {
        var reader = new FlatBufferReader(blob, "tar zinfo");
        var root = reader.Root();
        var version = reader.ReadInt(root, 0, 0);
        var spanSize = reader.ReadLong(root, 1, 0);
        var size = reader.ReadLong(root, 2, 0);
        if (spanSize <= 0)
        {
            throw new ZtocFormatException($"tar zinfo has invalid span size {spanSize}");
        }
        if (size < 0 || size / spanSize > int.MaxValue)
        {
            throw new ZtocFormatException($"tar zinfo has invalid size {size} for span size {spanSize}");
        }
        return new TarZinfo(version, spanSize, size, compressedSize, uncompressedSize);
    }

    public static byte[] Serialize(long spanSize, long size)
    {
        var builder = new FlatBufferBuilder(64);
        builder.StartTable(3);
        builder.AddInt(0, CurrentVersion, 0);
        builder.AddLong(1, spanSize, 0);
        builder.AddLong(2, size, 0);
        var root = builder.EndTable();
        builder.Finish(root);
        return builder.SizedByteArray();
    }

    public override int SpanOf(long uncompressedOffset) => (int)(uncompressedOffset / SpanSize);

    public override long StartCompressedOffset(int span) => span * SpanSize;

    public override long EndCompressedOffset(int span) => span == MaxSpanId ? CompressedArchiveSize : (span + 1) * SpanSize;

    public override long StartUncompressedOffset(int span) => span * SpanSize;

    public override long EndUncompressedOffset(int span) => span == MaxSpanId ? UncompressedArchiveSize : (span + 1) * SpanSize;
}
