using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using Soci.Formats.Compression;
using Soci.Formats.Tar;
using Soci.Formats.Toc;

namespace Soci.Formats.Build;

/// <summary>
/// A forward-only stream of a gzip layer's uncompressed bytes that records checkpoints (algorithms §2) and the
/// digest of each span's compressed bytes (formats §4) as a side effect of inflating, so one pass both feeds the
/// tar reader and builds the zinfo and span digests. Inflating runs ahead on its own thread
/// (<see cref="CheckpointingInflater"/>); the reading thread hashes the spans and checks each member's CRC-32 and
/// length against its trailer with a vectorized CRC (zlib's table-driven one took about 6% of a build).
/// </summary>
internal sealed class CheckpointingGzipStream : Stream, ISkippableStream
{
    private readonly BlockingCollection<InflaterOutput> _outputs = new();
    private readonly CheckpointingInflater _inflater;
    private readonly Crc32 _memberCrc = new();
    private uint _memberLength;
    private readonly SpanHasher _spanHasher = new();
    private IReadOnlyList<string> _spanDigests = [];
    private UncompressedBytes? _current;
    private int _readPosition;
    private int _readEnd;
    private long _totalOut;
    private bool _finished;

    public CheckpointingGzipStream(Stream compressed, long spanSize) =>
        _inflater = new CheckpointingInflater(compressed, spanSize, _outputs);

    /// <summary>Complete once <see cref="ReadToEnd"/> returned.</summary>
    public IReadOnlyList<GzipCheckpoint> Checkpoints => _inflater.Checkpoints;

    /// <summary>The sha256 of each span's compressed range, complete once <see cref="ReadToEnd"/> returned.</summary>
    public IReadOnlyList<string> SpanDigests => _spanDigests;

    /// <summary>Uncompressed bytes produced so far (all of them once <see cref="ReadToEnd"/> returned).</summary>
    public long TotalOut => _totalOut;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!HasUnreadBytes())
        {
            return 0;
        }
        var count = Math.Min(buffer.Length, _readEnd - _readPosition);
        _current!.Buffer.AsSpan(_readPosition, count).CopyTo(buffer);
        _readPosition += count;
        return count;
    }

    /// <summary>Passes over up to <paramref name="count"/> bytes without copying them; fewer only at the end.</summary>
    public long Skip(long count)
    {
        var skipped = 0L;
        while (skipped < count && HasUnreadBytes())
        {
            var step = (int)Math.Min(count - skipped, _readEnd - _readPosition);
            _readPosition += step;
            skipped += step;
        }
        return skipped;
    }

    /// <summary>Reads whatever the reader did not, so every checkpoint is recorded and every trailer checked.</summary>
    public void ReadToEnd() => Skip(long.MaxValue);

    /// <summary>Moves to the next piece with bytes once the current one is read; false at the end of the layer.</summary>
    private bool HasUnreadBytes()
    {
        while (_readPosition == _readEnd)
        {
            if (_current is { LastInBuffer: true, Buffer: { } done })
            {
                _inflater.Release(done);
            }
            _current = null;
            if (_finished)
            {
                return false;
            }
            switch (_outputs.Take())
            {
                case UncompressedBytes bytes:
                    Accept(bytes);
                    break;
                case CompressedBytes compressed:
                    _spanHasher.Append(compressed.Pooled, compressed.Count);
                    break;
                case SpanStarted span:
                    _spanHasher.StartSpan(span.CompressedOffset, span.WithPreviousByte);
                    break;
                case LayerEnded end:
                    // The last span runs to the end of the layer, trailer included.
                    _spanDigests = _spanHasher.Finish(end.CompressedSize);
                    _finished = true;
                    return false;
                case InflateFailed failed:
                    ExceptionDispatchInfo.Throw(failed.Error);
                    break;
            }
        }
        return true;
    }

    /// <summary>Bytes count towards their member's CRC as soon as they arrive, so a bad trailer is reported where zlib found it.</summary>
    private void Accept(UncompressedBytes piece)
    {
        var bytes = piece.Buffer.AsSpan(piece.Start, piece.Count);
        _memberCrc.Append(bytes);
        _memberLength += (uint)bytes.Length;
        _totalOut += bytes.Length;
        if (piece.MemberEnd is { } end)
        {
            CheckTrailer(end);
        }
        _current = piece;
        _readPosition = piece.Start;
        _readEnd = piece.Start + piece.Count;
    }

    private void CheckTrailer(GzipMemberEnd end)
    {
        var crc = _memberCrc.GetCurrentHashAsUInt32();
        if (crc != end.ExpectedCrc)
        {
            throw new ZtocFormatException(
                $"invalid gzip data: member {end.Member} ending at compressed offset {end.CompressedOffset} has CRC-32 {crc:x8}, its trailer says {end.ExpectedCrc:x8}");
        }
        if (_memberLength != end.ExpectedLength)
        {
            throw new ZtocFormatException(
                $"invalid gzip data: member {end.Member} ending at compressed offset {end.CompressedOffset} has {_memberLength} bytes (mod 2^32), its trailer says {end.ExpectedLength}");
        }
        _memberCrc.Reset();
        _memberLength = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The inflating thread stops first: it may still be reading compressed bytes the hasher holds.
            _inflater.Dispose();
            _spanHasher.Dispose();
            _outputs.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
