using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Soci.Formats.Build;

/// <summary>
/// A forward-only stream that reads its source ahead on a thread of its own into a few fixed chunks, so the
/// source's work (inflating a layer and recording its checkpoints) and the reader's (parsing the tar headers, about
/// 10% of a build on a layer of many small files) run on two cores instead of taking turns on one. The reader
/// gets the source's failure rethrown; disposing stops the thread before the source may be disposed.
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private readonly Stream _source;
    private readonly BlockingCollection<byte[]> _free;
    private readonly BlockingCollection<Chunk> _filled;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Chunk _current;
    private int _position;
    private bool _ended;

    public ReadAheadStream(Stream source, int chunkSize, int chunks)
    {
        _source = source;
        _free = new BlockingCollection<byte[]>(chunks);
        for (var i = 0; i < chunks; i++)
        {
            _free.Add(new byte[chunkSize]);
        }
        // One more slot than there are chunks: the end (or a failure) is queued after the last full chunk.
        _filled = new BlockingCollection<Chunk>(chunks + 1);
        _thread = new Thread(ReadSource) { IsBackground = true, Name = "read-ahead" };
        _thread.Start();
    }

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
        while (_position == _current.Count)
        {
            if (_ended)
            {
                return 0;
            }
            NextChunk();
        }
        var count = Math.Min(buffer.Length, _current.Count - _position);
        _current.Buffer.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    /// <summary>Waits until the source has been read to its end, discarding what the reader did not take.</summary>
    public void ReadToEnd()
    {
        while (!_ended)
        {
            NextChunk();
        }
        _position = _current.Count;
    }

    private void NextChunk()
    {
        if (_current.Buffer is { } used)
        {
            _free.Add(used);
        }
        _current = _filled.Take();
        _position = 0;
        if (_current.Buffer is null)
        {
            _ended = true;
            _current.Failure?.Throw();
        }
    }

    private void ReadSource()
    {
        try
        {
            while (true)
            {
                var buffer = _free.Take(_stop.Token);
                var count = Fill(buffer);
                if (count > 0)
                {
                    _filled.Add(new Chunk(buffer, count, null), _stop.Token);
                }
                if (count < buffer.Length)
                {
                    _filled.Add(default, _stop.Token);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The reader went away.
        }
        catch (Exception error)
        {
            try
            {
                _filled.Add(new Chunk(null, 0, ExceptionDispatchInfo.Capture(error)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The reader went away.
            }
        }
    }

    private int Fill(byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _source.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    /// <summary>Stops the reading thread and waits for it, so the source is no longer in use when it is disposed.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            _thread.Join();
            _stop.Dispose();
            _free.Dispose();
            _filled.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Bytes read from the source, or (without a buffer) its end or failure.</summary>
    private readonly record struct Chunk(byte[]? Buffer, int Count, ExceptionDispatchInfo? Failure);
}
