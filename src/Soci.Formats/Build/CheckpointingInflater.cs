using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Soci.Formats.Compression;
using Soci.Formats.Interop;
using Soci.Formats.Toc;

namespace Soci.Formats.Build;

/// <summary>
/// Inflates a gzip layer on a thread of its own and records its checkpoints (algorithms §2); hands the
/// uncompressed bytes, the compressed bytes and the span starts on as <see cref="InflaterOutput"/>s. Little but
/// zlib runs on this thread: zlib is most of a build's time, so the rest (tar headers, CRC checks, span digests)
/// happens on the reading thread meanwhile; two threads, so on two cores neither waits for the other's core.
/// </summary>
/// <remarks>
/// Inflating stops at every deflate block end (Z_BLOCK) only where a checkpoint can be taken: once more than a
/// span of output followed the last one. Before that, zlib runs freely (Z_NO_FLUSH) with its output capped at the
/// span mark, so no candidate boundary is passed over and the checkpoints stay those of upstream's builder.
/// Output goes to a few pooled buffers, each starting with the 32 KiB of output before it (the window a
/// checkpoint taken early in the buffer needs), so memory stays bounded and the reader can lag a little.
/// </remarks>
internal sealed class CheckpointingInflater : IDisposable
{
    private const int InputChunkSize = 256 * 1024;
    private const int OutputChunkSize = 1024 * 1024;
    private const int OutputBuffers = 8;
    private const int Window = GzipCheckpoint.WindowSize;
    private const int GzipTrailerLength = 8;

    private readonly Stream _compressed;
    private readonly long _spanSize;
    private readonly BlockingCollection<InflaterOutput> _outputs;
    private readonly BlockingCollection<byte[]> _freeBuffers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Inflater _inflater = new(Inflater.AutoHeaderWindowBits);
    private byte[] _input = [];
    private readonly List<GzipCheckpoint> _checkpoints = [];
    private readonly byte[] _trailer = new byte[GzipTrailerLength];
    private readonly Thread _thread;

    // The first 32 KiB of _output always hold the output preceding _outputEnd's buffer: zeros at the start of
    // the stream, later the tail of the previous buffer. Fresh output goes to [Window, Length).
    private byte[] _output;
    private int _pieceStart = Window;
    private int _outputEnd = Window;
    private int _member;
    private int _inputStart;
    private int _inputCount;
    private bool _inputEof;
    private long _totalIn;
    private long _totalOut;
    private long _lastCheckpointOut;
    private bool _finished;

    public CheckpointingInflater(Stream compressed, long spanSize, BlockingCollection<InflaterOutput> pieces)
    {
        _compressed = compressed;
        _spanSize = spanSize;
        _outputs = pieces;
        for (var i = 0; i < OutputBuffers; i++)
        {
            _freeBuffers.Add(new byte[Window + OutputChunkSize]);
        }
        _output = _freeBuffers.Take();
        _inflater.SkipCheckValue();
        _thread = new Thread(Run) { IsBackground = true, Name = "gzip-inflater" };
        _thread.Start();
    }

    /// <summary>Complete once the reader has taken <see cref="LayerEnded"/>.</summary>
    public IReadOnlyList<GzipCheckpoint> Checkpoints => _checkpoints;

    /// <summary>The reader has read bytes marked <see cref="UncompressedBytes.LastInBuffer"/>: their buffer may be reused.</summary>
    public void Release(byte[] buffer) => _freeBuffers.Add(buffer);

    private void Run()
    {
        try
        {
            while (!_finished)
            {
                _stop.Token.ThrowIfCancellationRequested();
                InflateStep();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The reader gave up (its own error or disposal); nobody waits for more pieces.
        }
        catch (Exception error)
        {
            _outputs.Add(new InflateFailed(error));
        }
    }

    private void InflateStep()
    {
        if (_outputEnd == _output.Length)
        {
            NextOutputBuffer();
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
        _inputStart += result.Consumed;
        _inputCount -= result.Consumed;
        _totalIn += result.Consumed;
        _totalOut += result.Produced;
        _outputEnd += result.Produced;

        switch (result.Code)
        {
            case ZlibNative.ZStreamEnd:
                EndMember();
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
            // The span ends at the checkpoint's compressed offset; the next one starts there too, or one byte
            // earlier when that byte still holds bits of the next block (formats §4).
            _outputs.Add(new SpanStarted(_totalIn, result.UnusedBits != 0));
            _checkpoints.Add(new GzipCheckpoint(
                _totalIn,
                _totalOut,
                (byte)result.UnusedBits,
                _output.AsSpan(_outputEnd - Window, Window).ToArray()));
            _lastCheckpointOut = _totalOut;
        }
    }

    /// <summary>Hands the full buffer over and continues in a free one, after the full one's last 32 KiB.</summary>
    private void NextOutputBuffer()
    {
        var full = _output;
        _outputs.Add(new UncompressedBytes(full, _pieceStart, _outputEnd - _pieceStart, LastInBuffer: true, MemberEnd: null));
        _output = _freeBuffers.Take(_stop.Token);
        // The reader only reads the full buffer and cannot hand it back before this thread takes it again.
        full.AsSpan(full.Length - Window, Window).CopyTo(_output);
        _pieceStart = _outputEnd = Window;
    }

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

    /// <summary>
    /// The member's bytes go to the reader with its trailer, which the reader checks against them. Concatenated
    /// members (pigz, eStargz) continue with a fresh header; the totals keep running.
    /// </summary>
    private void EndMember()
    {
        var end = new GzipMemberEnd(
            _member++,
            _totalIn,
            BinaryPrimitives.ReadUInt32LittleEndian(_trailer),
            BinaryPrimitives.ReadUInt32LittleEndian(_trailer.AsSpan(4)));
        if (_inputCount == 0 && !FillInput())
        {
            _outputs.Add(new UncompressedBytes(_output, _pieceStart, _outputEnd - _pieceStart, LastInBuffer: true, end));
            _outputs.Add(new LayerEnded(_totalIn));
            _finished = true;
            return;
        }
        _outputs.Add(new UncompressedBytes(_output, _pieceStart, _outputEnd - _pieceStart, LastInBuffer: false, end));
        _pieceStart = _outputEnd;
        _inflater.Reset();
        _inflater.SkipCheckValue();
    }

    private bool FillInput()
    {
        if (_inputEof)
        {
            return false;
        }
        _input = ArrayPool<byte>.Shared.Rent(InputChunkSize);
        _inputStart = 0;
        _inputCount = _compressed.Read(_input, 0, InputChunkSize);
        _inputEof = _inputCount == 0;
        if (!_inputEof)
        {
            // The reader hashes these bytes and returns the array to the pool; zlib reads them meanwhile.
            _outputs.Add(new CompressedBytes(_input, _inputCount));
        }
        return !_inputEof;
    }

    /// <summary>Stops inflating if it still runs (the reader failed or gave up) and frees zlib's memory.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _inflater.Dispose();
        _freeBuffers.Dispose();
        _stop.Dispose();
    }
}
