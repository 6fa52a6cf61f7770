namespace Soci.Formats.Index;

/// <summary>A read-only pass-through stream that reports the total bytes read so far (across rewinds).</summary>
internal sealed class ProgressReportingStream : Stream
{
    private readonly Stream _inner;
    private readonly Action<long> _report;
    private long _bytesRead;

    public ProgressReportingStream(Stream inner, Action<long> report)
    {
        _inner = inner;
        _report = report;
    }

    public override bool CanRead => true;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer));

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _bytesRead += read;
        _report(_bytesRead);
        return read;
    }
}
