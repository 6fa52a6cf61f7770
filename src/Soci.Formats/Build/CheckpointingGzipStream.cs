using System.Buffers.Binary;
using System.IO.Hashing;
using Soci.Formats.Interop;
using Soci.Formats.Toc;
using Soci.Formats.Compression;

namespace Soci.Formats.Build;

/// <summary>
/// A forward-only stream of a gzip layer's uncompressed bytes that records checkpoints (algorithms §2) and the
/// digest of each span's compressed bytes (formats §4, hashed on a second thread by <see cref="SpanHasher"/>) as a
/// side effect of inflating, so one pass both feeds the tar reader and builds the zinfo and span digests. Memory
/// stays bounded: fixed input and output buffers, one 32 KiB window per checkpoint and at most a span's compressed
/// bytes waiting to be hashed.
/// </summary>
/// <remarks>
/// Inflating stops at every deflate block end (Z_BLOCK) only where a checkpoint can be taken: once more than a
/// span of output followed the last one. Before that, zlib runs freely (Z_NO_FLUSH) with its output capped at the
/// span mark, so no candidate boundary is passed over and the checkpoints stay those of upstream's builder.
/// Each member's CRC-32 and length are checked here against its trailer with a vectorized CRC, instead of by zlib's
/// table-driven one, which took about 6% of the build.
/// </remarks>
internal sealed class CheckpointingGzipStream : Stream
{
    private const int InputChunkSize = 64 * 1024;
    private const int OutputChunkSize = 1024 * 1024;
    private const int Window = GzipCheckpoint.WindowSize;
    private const int GzipTrailerLength = 8;

    private readonly Stream _compressed;
    private readonly long _spanSize;
    private readonly Inflater _inflater = new(Inflater.AutoHeaderWindowBits);
    private readonly byte[] _input = new byte[InputChunkSize];

    // The first 32 KiB always hold the window preceding _outputEnd: zeros at the start of the stream, later
    // the tail of the previous chunk. Fresh output goes to [Window, Length).
    private readonly byte[] _output = new byte[Window + OutputChunkSize];
    private readonly List<GzipCheckpoint> _checkpoints = [];
    private readonly SpanHasher _spanHasher = new();
    private IReadOnlyList<string> _spanDigests = [];
    private readonly Crc32 _memberCrc = new();
    private readonly byte[] _trailer = new byte[GzipTrailerLength];
    private uint _memberLength;
    private int _member;
    private int _inputStart;
    private int _inputCount;
    private bool _inputEof;
    private int _outputEnd = Window;
    private int _readPosition = Window;
    private long _totalIn;
    private long _totalOut;
    private long _lastCheckpointOut;
    private bool _finished;

    public CheckpointingGzipStream(Stream compressed, long spanSize)
    {
        _compressed = compressed;
        _spanSize = spanSize;
        _inflater.SkipCheckValue();
    }

    public IReadOnlyList<GzipCheckpoint> Checkpoints => _checkpoints;

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
        while (_readPosition == _outputEnd && !_finished)
        {
            InflateStep();
        }
        var count = Math.Min(buffer.Length, _outputEnd - _readPosition);
        _output.AsSpan(_readPosition, count).CopyTo(buffer);
        _readPosition += count;
        return count;
    }

    /// <summary>Inflates whatever the reader did not consume, so every checkpoint is recorded and the trailers checked.</summary>
    public void ReadToEnd()
    {
        while (!_finished)
        {
            _readPosition = _outputEnd;
            InflateStep();
        }
        _readPosition = _outputEnd;
    }

    private void InflateStep()
    {
        if (_outputEnd == _output.Length)
        {
            _output.AsSpan(_outputEnd - Window, Window).CopyTo(_output);
            _outputEnd = _readPosition = Window;
        }
        if (_inputCount == 0 && !FillInput())
        {
            throw new ZtocFormatException($"unexpected end of gzip data after {_totalIn} compressed bytes");
        }

        // Boundaries before any output are always checkpoints (an empty first block gives a second one at 0).
        var freeRun = _totalOut > 0 && _totalOut - _lastCheckpointOut < _spanSize;
        var outputRoom = _output.Length - _outputEnd;
        if (freeRun)
        {
            outputRoom = (int)Math.Min(outputRoom, _lastCheckpointOut + _spanSize - _totalOut);
        }

        var result = _inflater.Inflate(_input.AsSpan(_inputStart, _inputCount), _output.AsSpan(_outputEnd, outputRoom),
            freeRun ? ZlibNative.ZNoFlush : ZlibNative.ZBlock);
        if (result.Consumed > 0)
        {
            KeepTrailerCandidate(_input.AsSpan(_inputStart, result.Consumed));
        }
        if (result.Produced > 0)
        {
            _memberCrc.Append(_output.AsSpan(_outputEnd, result.Produced));
            _memberLength += (uint)result.Produced;
        }

        _inputStart += result.Consumed;
        _inputCount -= result.Consumed;
        _totalIn += result.Consumed;
        _totalOut += result.Produced;
        _outputEnd += result.Produced;

        switch (result.Code)
        {
            case ZlibNative.ZStreamEnd:
                CheckTrailer();
                StartNextMemberOrFinish();
                return;
            case ZlibNative.ZNeedDict:
                throw new ZtocFormatException("invalid gzip data: zlib stream requires a preset dictionary");
            case ZlibNative.ZDataError:
                throw new ZtocFormatException($"invalid gzip data at compressed offset {_totalIn}: {_inflater.Describe(result.Code)}");
            case ZlibNative.ZMemError:
                throw new OutOfMemoryException("zlib could not allocate memory");
            case ZlibNative.ZBufError when _inputCount > 0:
                throw new ZtocFormatException($"inflate made no progress at compressed offset {_totalIn}");
        }

        // A block boundary that is not after the stream's final block is a candidate checkpoint.
        if (!freeRun && result.AtBlockBoundary && !result.LastBlockDone && (_totalOut == 0 || _totalOut - _lastCheckpointOut > _spanSize))
        {
            StartSpan(result.UnusedBits);
            _checkpoints.Add(new GzipCheckpoint(
                _totalIn,
                _totalOut,
                (byte)result.UnusedBits,
                _output.AsSpan(_outputEnd - Window, Window).ToArray()));
            _lastCheckpointOut = _totalOut;
        }
    }

    /// <summary>
    /// A checkpoint at compressed offset <see cref="_totalIn"/> ends the current span there; the next one starts
    /// there too, or one byte earlier when that byte still holds bits of the next block (formats §4).
    /// </summary>
    private void StartSpan(int unusedBits) => _spanHasher.StartSpan(_totalIn, unusedBits != 0);

    /// <summary>The last bytes zlib consumed: at a member's end, its trailer (CRC-32 and length, little-endian).</summary>
    private void KeepTrailerCandidate(ReadOnlySpan<byte> consumed)
    {
        if (consumed.Length >= GzipTrailerLength)
        {
            consumed[^GzipTrailerLength..].CopyTo(_trailer);
            return;
        }
        _trailer.AsSpan(consumed.Length).CopyTo(_trailer);
        consumed.CopyTo(_trailer.AsSpan(GzipTrailerLength - consumed.Length));
    }

    private void CheckTrailer()
    {
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(_trailer);
        var expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(_trailer.AsSpan(4));
        var crc = _memberCrc.GetCurrentHashAsUInt32();
        if (crc != expectedCrc)
        {
            throw new ZtocFormatException(
                $"invalid gzip data: member {_member} ending at compressed offset {_totalIn} has CRC-32 {crc:x8}, its trailer says {expectedCrc:x8}");
        }
        if (_memberLength != expectedLength)
        {
            throw new ZtocFormatException(
                $"invalid gzip data: member {_member} ending at compressed offset {_totalIn} has {_memberLength} bytes (mod 2^32), its trailer says {expectedLength}");
        }
        _memberCrc.Reset();
        _memberLength = 0;
        _member++;
    }

    /// <summary>Concatenated members (pigz, eStargz) continue with a fresh header; the totals keep running.</summary>
    private void StartNextMemberOrFinish()
    {
        if (_inputCount == 0 && !FillInput())
        {
            // The last span runs to the end of the layer, trailer included.
            _spanDigests = _spanHasher.Finish(_totalIn);
            _finished = true;
            return;
        }
        _inflater.Reset();
        _inflater.SkipCheckValue();
    }

    private bool FillInput()
    {
        if (_inputEof)
        {
            return false;
        }
        _inputStart = 0;
        _inputCount = _compressed.Read(_input, 0, _input.Length);
        _spanHasher.Append(_input.AsSpan(0, _inputCount));
        _inputEof = _inputCount == 0;
        return !_inputEof;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            _spanHasher.Dispose();
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
