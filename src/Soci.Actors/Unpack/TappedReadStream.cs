namespace Soci.Actors.Unpack;

/// <summary>
/// A read-only pass-through that hashes every byte it passes on and can copy the bytes of one chosen range to a sink
/// as its reader reads past them (the data of the tar entry being unpacked).
/// </summary>
internal sealed class TappedReadStream(Stream inner) : Stream
{
    private readonly System.Security.Cryptography.IncrementalHash _digest =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    private long _position;
    private long _captureStart;
    private long _captureEnd;
    private Stream? _sink;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>From now on, bytes at tar offsets [start, start + length) go to <paramref name="sink"/>.</summary>
    public void Capture(long start, long length, Stream sink) => (_captureStart, _captureEnd, _sink) = (start, start + length, sink);

    public void StopCapture() => _sink = null;

    /// <summary>sha256 of every byte read so far (the diffID once the stream is drained).</summary>
    public string Digest() => "sha256:" + System.Convert.ToHexStringLower(_digest.GetCurrentHash());

    /// <summary>Reads the rest of the stream (trailing zero blocks and padding) so the digest covers it.</summary>
    public void Drain()
    {
        var buffer = new byte[64 * 1024];
        while (Read(buffer, 0, buffer.Length) > 0)
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        var chunk = buffer[..read];
        _digest.AppendData(chunk);
        if (_sink is not null)
        {
            var from = Math.Max(_position, _captureStart);
            var to = Math.Min(_position + read, _captureEnd);
            if (to > from)
            {
                _sink.Write(chunk[(int)(from - _position)..(int)(to - _position)]);
            }
        }
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _digest.Dispose();
        }
        base.Dispose(disposing);
    }
}
