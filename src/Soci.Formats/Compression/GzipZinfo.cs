using System.Buffers.Binary;
using Soci.Formats.Toc;

namespace Soci.Formats.Compression;

/// <summary>The gzip checkpoint blob (formats §2) and the span geometry it defines.</summary>
public sealed class GzipZinfo : Zinfo
{
    public const int HeaderSize = 12;
    public const int CheckpointSize = 8 + 8 + 1 + GzipCheckpoint.WindowSize;

    /// <summary>Legacy v1 blobs omit checkpoint 0, which always sat right after a minimal 10-byte gzip header.</summary>
    private const int LegacyFirstCheckpointIn = 10;

    private static readonly ReadOnlyMemory<byte> ZeroWindow = new byte[GzipCheckpoint.WindowSize];

    private readonly ReadOnlyMemory<byte> _blob;
    private readonly int _count;
    private readonly bool _legacy;

    private GzipZinfo(ReadOnlyMemory<byte> blob, int count, long spanSize, bool legacy, long compressedSize, long uncompressedSize)
        : base(compressedSize, uncompressedSize)
    {
        _blob = blob;
        _count = count;
        SpanSize = spanSize;
        _legacy = legacy;
    }

    public override long SpanSize { get; }

    public override int MaxSpanId => _count - 1;

    /// <summary>True for the legacy layout without a serialized checkpoint 0.</summary>
    public bool IsLegacyLayout => _legacy;

    public static GzipZinfo Parse(ReadOnlyMemory<byte> blob, long compressedSize, long uncompressedSize)
    {
        if (blob.IsEmpty)
        {
            throw new ZtocFormatException("empty checkpoints");
        }
        if (blob.Length < HeaderSize)
        {
            throw new ZtocFormatException($"checkpoints blob of {blob.Length} bytes is shorter than its {HeaderSize}-byte header");
        }
        var span = blob.Span;
        var count = BinaryPrimitives.ReadInt32LittleEndian(span);
        var spanSize = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
        var payload = (long)blob.Length - HeaderSize;
        if (count >= 0 && payload == (long)count * CheckpointSize)
        {
            return new GzipZinfo(blob, count, spanSize, legacy: false, compressedSize, uncompressedSize);
        }
        if (count >= 1 && payload == (long)(count - 1) * CheckpointSize)
        {
            return new GzipZinfo(blob, count, spanSize, legacy: true, compressedSize, uncompressedSize);
        }
        throw new ZtocFormatException($"checkpoints blob of {blob.Length} bytes does not hold {count} checkpoints");
    }

    /// <summary>Serializes checkpoints in the current (v2) layout.</summary>
    public static byte[] Serialize(long spanSize, IReadOnlyList<GzipCheckpoint> checkpoints)
    {
        var blob = new byte[HeaderSize + ((long)checkpoints.Count * CheckpointSize)];
        BinaryPrimitives.WriteInt32LittleEndian(blob, checkpoints.Count);
        BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(4), spanSize);
        var position = HeaderSize;
        foreach (var checkpoint in checkpoints)
        {
            BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(position), checkpoint.In);
            BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(position + 8), checkpoint.Out);
            blob[position + 16] = checkpoint.Bits;
            checkpoint.Window.Span.CopyTo(blob.AsSpan(position + 17, GzipCheckpoint.WindowSize));
            position += CheckpointSize;
        }
        return blob;
    }

    public GzipCheckpoint Checkpoint(int index)
    {
        if (index < 0 || index >= _count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"checkpoint {index} of {_count}");
        }
        if (_legacy)
        {
            if (index == 0)
            {
                return new GzipCheckpoint(LegacyFirstCheckpointIn, 0, 0, ZeroWindow);
            }
            index--;
        }
        var position = HeaderSize + (index * CheckpointSize);
        var span = _blob.Span;
        return new GzipCheckpoint(
            BinaryPrimitives.ReadInt64LittleEndian(span[position..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[(position + 8)..]),
            span[position + 16],
            _blob.Slice(position + 17, GzipCheckpoint.WindowSize));
    }

    public override int SpanOf(long uncompressedOffset)
    {
        // Largest i with cp[i].out <= offset (binary search; offsets are ascending in any servable blob).
        int low = 0, high = _count - 1, found = 0;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (OutOf(mid) <= uncompressedOffset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    public override long StartCompressedOffset(int span)
    {
        var checkpoint = Checkpoint(span);
        return checkpoint.In - (checkpoint.Bits != 0 ? 1 : 0);
    }

    public override long EndCompressedOffset(int span) => span == MaxSpanId ? CompressedArchiveSize : Checkpoint(span + 1).In;

    public override long StartUncompressedOffset(int span) => Checkpoint(span).Out;

    public override long EndUncompressedOffset(int span) => span == MaxSpanId ? UncompressedArchiveSize : Checkpoint(span + 1).Out;

    private long OutOf(int index) => Checkpoint(index).Out;
}
