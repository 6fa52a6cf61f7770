using Soci.Formats.Toc;

namespace Soci.Formats.Compression;

/// <summary>
/// Span geometry of a layer (algorithms §4): which compressed and uncompressed byte ranges each span covers.
/// Created from a ztoc's checkpoint blob and archive sizes.
/// </summary>
public abstract class Zinfo
{
    protected Zinfo(long compressedArchiveSize, long uncompressedArchiveSize)
    {
        CompressedArchiveSize = compressedArchiveSize;
        UncompressedArchiveSize = uncompressedArchiveSize;
    }

    public long CompressedArchiveSize { get; }

    public long UncompressedArchiveSize { get; }

    /// <summary>The span size recorded in the blob.</summary>
    public abstract long SpanSize { get; }

    /// <summary>Number of spans − 1 as implied by the blob (−1 when there are none).</summary>
    public abstract int MaxSpanId { get; }

    public int SpanCount => MaxSpanId + 1;

    public abstract int SpanOf(long uncompressedOffset);

    public abstract long StartCompressedOffset(int span);

    public abstract long EndCompressedOffset(int span);

    public abstract long StartUncompressedOffset(int span);

    public abstract long EndUncompressedOffset(int span);

    /// <summary>Parses the checkpoint blob of a ztoc according to its compression algorithm.</summary>
    public static Zinfo FromZtoc(Ztoc ztoc) => ztoc.CompressionAlgorithm switch
    {
        CompressionAlgorithms.Gzip or "" => GzipZinfo.Parse(ztoc.Checkpoints, ztoc.CompressedArchiveSize, ztoc.UncompressedArchiveSize),
        CompressionAlgorithms.Uncompressed => TarZinfo.Parse(ztoc.Checkpoints, ztoc.CompressedArchiveSize, ztoc.UncompressedArchiveSize),
        _ => throw new ZtocFormatException($"unexpected compression algorithm: {ztoc.CompressionAlgorithm}"),
    };

    /// <summary>The checks upstream's span manager makes before serving a layer (algorithms §4).</summary>
    public void CheckServable(Ztoc ztoc)
    {
        if (ztoc.MaxSpanId != MaxSpanId)
        {
            throw new ZtocFormatException($"given max span ID differs from calculated max span ID ({ztoc.MaxSpanId} vs {MaxSpanId})");
        }
        if (ztoc.SpanDigests.Count != SpanCount)
        {
            throw new ZtocFormatException($"ztoc has {ztoc.SpanDigests.Count} span digests for {SpanCount} spans");
        }
        for (var i = 0; i < MaxSpanId; i++)
        {
            if (StartCompressedOffset(i) >= EndCompressedOffset(i) || StartUncompressedOffset(i) >= EndUncompressedOffset(i))
            {
                throw new ZtocFormatException($"span offsets are non-monotonic at span {i}");
            }
        }
    }
}
