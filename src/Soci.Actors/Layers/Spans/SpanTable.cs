using System.IO.Compression;
using Soci.Formats.Compression;

namespace Soci.Actors.Layers.Spans;

/// <summary>
/// A layer's spans as its span manager needs them for as long as the layer is mounted: each span's compressed and
/// uncompressed extent and, for gzip layers, the checkpoint to inflate it from. The ztoc's checkpoint blob holds an
/// uncompressed 32 KiB window per span (about 3% of the layer's compressed size, megabytes for a large layer);
/// a window is only needed when its span is fetched, so it is kept compressed (Brotli at its fastest quality: a
/// better ratio than deflate's fastest level in less time, about 3× on the Debian layers) and expanded then.
/// </summary>
internal sealed class SpanTable
{
    private const int WindowQuality = 1;
    private const int WindowLog = 16;
    private readonly Extent[] _extents;
    private readonly PackedCheckpoint[]? _checkpoints;

    internal SpanTable(long uncompressedSize, Extent[] extents, PackedCheckpoint[]? checkpoints)
    {
        UncompressedSize = uncompressedSize;
        _extents = extents;
        _checkpoints = checkpoints;
    }

    public long UncompressedSize { get; }

    public int SpanCount => _extents.Length;

    public int MaxSpanId => _extents.Length - 1;

    /// <summary>True when spans are inflated from gzip checkpoints; false when they are stored bytes.</summary>
    public bool IsGzip => _checkpoints is not null;

    public static SpanTable From(Zinfo zinfo)
    {
        var extents = new Extent[zinfo.SpanCount];
        for (var span = 0; span < extents.Length; span++)
        {
            extents[span] = new Extent(
                zinfo.StartCompressedOffset(span), zinfo.EndCompressedOffset(span),
                zinfo.StartUncompressedOffset(span), zinfo.EndUncompressedOffset(span));
        }
        PackedCheckpoint[]? checkpoints = null;
        if (zinfo is GzipZinfo gzip)
        {
            checkpoints = new PackedCheckpoint[extents.Length];
            for (var span = 0; span < extents.Length; span++)
            {
                var checkpoint = gzip.Checkpoint(span);
                checkpoints[span] = new PackedCheckpoint(checkpoint.In, checkpoint.Out, checkpoint.Bits, Pack(checkpoint.Window.Span));
            }
        }
        return new SpanTable(zinfo.UncompressedArchiveSize, extents, checkpoints);
    }

    // The table as it is, for the layer's stored form (PreparedLayerFile).
    internal ReadOnlySpan<Extent> Extents => _extents;

    internal ReadOnlySpan<PackedCheckpoint> PackedCheckpoints => _checkpoints;

    public long StartCompressedOffset(int span) => _extents[span].CompressedStart;

    public long EndCompressedOffset(int span) => _extents[span].CompressedEnd;

    public long StartUncompressedOffset(int span) => _extents[span].UncompressedStart;

    public long EndUncompressedOffset(int span) => _extents[span].UncompressedEnd;

    /// <summary>The span holding <paramref name="uncompressedOffset"/>: the last one starting at or before it.</summary>
    public int SpanOf(long uncompressedOffset)
    {
        int low = 0, high = _extents.Length - 1, found = 0;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_extents[middle].UncompressedStart <= uncompressedOffset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }

    /// <summary>The gzip checkpoint of <paramref name="span"/> with its window expanded.</summary>
    public GzipCheckpoint Checkpoint(int span)
    {
        var packed = _checkpoints![span];
        var window = new byte[GzipCheckpoint.WindowSize];
        if (!BrotliDecoder.TryDecompress(packed.Window, window, out var written) || written != window.Length)
        {
            throw new InvalidDataException($"checkpoint window of span {span} does not expand to {window.Length} bytes");
        }
        return new GzipCheckpoint(packed.In, packed.Out, packed.Bits, window);
    }

    private static byte[] Pack(ReadOnlySpan<byte> window)
    {
        var packed = new byte[BrotliEncoder.GetMaxCompressedLength(window.Length)];
        if (!BrotliEncoder.TryCompress(window, packed, out var written, WindowQuality, WindowLog))
        {
            throw new InvalidOperationException("a checkpoint window did not fit its maximum compressed length");
        }
        return packed.AsSpan(0, written).ToArray();
    }

    internal readonly record struct Extent(long CompressedStart, long CompressedEnd, long UncompressedStart, long UncompressedEnd);

    /// <summary>A gzip checkpoint whose 32 KiB window is Brotli-compressed.</summary>
    internal readonly record struct PackedCheckpoint(long In, long Out, byte Bits, byte[] Window);
}
