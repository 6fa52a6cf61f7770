using Soci.Formats.Toc;

namespace Soci.Formats.Tar;

/// <summary>
/// Reads tar headers from a stream the way Go's <c>archive/tar</c> does (ustar, PAX, GNU long names, v7, star),
/// counting every byte it consumes so entry data offsets and the end position match upstream exactly.
/// Entry data is skipped, never interpreted.
/// </summary>
public sealed class TarReader
{
    private const int BlockSize = 512;
    private const int MaxSpecialFileSize = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _block = new byte[BlockSize];
    private readonly byte[] _skipBuffer = new byte[64 * 1024];
    private long _remainingData;
    private int _padding;
    private bool _ended;

    public TarReader(Stream stream) => _stream = stream;

    /// <summary>Bytes consumed so far; after the last entry, the end position as Go's reader reports it.</summary>
    public long Position { get; private set; }

    /// <summary>The next entry, or null at the end of the archive (two zero blocks, or EOF at a header boundary).</summary>
    public TarEntry? Next()
    {
        if (_ended)
        {
            return null;
        }
        List<PaxRecord>? pax = null;
        byte[]? gnuLongName = null;
        byte[]? gnuLongLink = null;
        while (true)
        {
            SkipData(_remainingData);
            _remainingData = 0;
            if (!SkipPadding(_padding))
            {
                return End();
            }
            _padding = 0;

            var header = ReadHeader();
            if (header is null)
            {
                return End();
            }
            SetDataSize(header.Typeflag, header.Size);

            switch (header.Typeflag)
            {
                case (byte)'x':
                    pax = PaxParser.Parse(ReadSpecialFile());
                    continue;
                case (byte)'g':
                    // Go surfaces global headers as entries; the TOC builder rejects them.
                    return header with { PaxRecords = PaxParser.Parse(ReadSpecialFile()), DataOffset = Position };
                case (byte)'L':
                    gnuLongName = TarNumbers.CString(ReadSpecialFile()).ToArray();
                    continue;
                case (byte)'K':
                    gnuLongLink = TarNumbers.CString(ReadSpecialFile()).ToArray();
                    continue;
            }

            var entry = MergePax(header, pax ?? []);
            if (gnuLongName is { Length: > 0 })
            {
                entry = entry with { Name = ByteString.FromBytes(gnuLongName) };
            }
            if (gnuLongLink is { Length: > 0 })
            {
                entry = entry with { Linkname = ByteString.FromBytes(gnuLongLink) };
            }
            if (entry.Typeflag == 0)
            {
                entry = entry with { Typeflag = entry.Name.EndsWith("/"u8) ? (byte)'5' : (byte)'0' };
            }
            // PAX may have changed the size: the data extent follows the merged header.
            SetDataSize(entry.Typeflag, entry.Size);
            return entry with { DataOffset = Position };
        }
    }

    private TarEntry? End()
    {
        _ended = true;
        return null;
    }

    private void SetDataSize(byte typeflag, long size)
    {
        var dataSize = IsHeaderOnly(typeflag) ? 0 : size;
        if (dataSize < 0)
        {
            throw new TarFormatException($"invalid tar header: negative size {size}");
        }
        _remainingData = dataSize;
        _padding = (int)((BlockSize - (dataSize % BlockSize)) % BlockSize);
    }

    private static bool IsHeaderOnly(byte typeflag) => typeflag is (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6';

    private TarEntry? ReadHeader()
    {
        var offset = Position;
        if (!ReadBlock())
        {
            return null;
        }
        if (IsZeroBlock())
        {
            if (!ReadBlock() || IsZeroBlock())
            {
                return null;
            }
            throw new TarFormatException($"invalid tar header at offset {Position - BlockSize}: zero block followed by data");
        }
        return TarHeaderParser.Parse(_block, offset);
    }

    /// <summary>Reads one block; false on EOF before any byte, error on a partial block.</summary>
    private bool ReadBlock()
    {
        var read = ReadFull(_block);
        if (read == 0)
        {
            return false;
        }
        if (read < BlockSize)
        {
            throw new TarFormatException($"unexpected end of tar stream in a header at offset {Position - read}");
        }
        return true;
    }

    private bool IsZeroBlock() => !_block.AsSpan().ContainsAnyExcept((byte)0);

    private byte[] ReadSpecialFile()
    {
        if (_remainingData > MaxSpecialFileSize)
        {
            throw new TarFormatException($"tar extension header of {_remainingData} bytes exceeds {MaxSpecialFileSize}");
        }
        var data = new byte[_remainingData];
        if (ReadFull(data) < data.Length)
        {
            throw new TarFormatException("unexpected end of tar stream in an extension header");
        }
        _remainingData = 0;
        return data;
    }

    private void SkipData(long count)
    {
        if (count == 0)
        {
            return;
        }
        if (_stream.CanSeek)
        {
            var available = _stream.Length - _stream.Position;
            if (available < count)
            {
                throw new TarFormatException($"unexpected end of tar stream in entry data at offset {Position + available}");
            }
            _stream.Seek(count, SeekOrigin.Current);
            Position += count;
            return;
        }
        if (_stream is ISkippableStream skippable)
        {
            var skipped = skippable.Skip(count);
            Position += skipped;
            if (skipped < count)
            {
                throw new TarFormatException($"unexpected end of tar stream in entry data at offset {Position}");
            }
            return;
        }
        while (count > 0)
        {
            var read = _stream.Read(_skipBuffer, 0, (int)Math.Min(count, _skipBuffer.Length));
            if (read == 0)
            {
                throw new TarFormatException($"unexpected end of tar stream in entry data at offset {Position}");
            }
            count -= read;
            Position += read;
        }
    }

    /// <summary>Go treats EOF inside the padding after the last entry's data as a clean end of archive.</summary>
    private bool SkipPadding(int count) => count == 0 || ReadFull(_skipBuffer.AsSpan(0, count)) == count;

    private int ReadFull(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        Position += total;
        return total;
    }

    private static TarEntry MergePax(TarEntry entry, List<PaxRecord> records)
    {
        foreach (var (key, value) in records)
        {
            if (value.IsEmpty)
            {
                continue;
            }
            switch (key.ToString())
            {
                case "path":
                    entry = entry with { Name = value };
                    break;
                case "linkpath":
                    entry = entry with { Linkname = value };
                    break;
                case "uname":
                    entry = entry with { Uname = value };
                    break;
                case "gname":
                    entry = entry with { Gname = value };
                    break;
                case "uid":
                    entry = entry with { Uid = ParsePaxInteger(value, "uid") };
                    break;
                case "gid":
                    entry = entry with { Gid = ParsePaxInteger(value, "gid") };
                    break;
                case "size":
                    entry = entry with { Size = ParsePaxInteger(value, "size") };
                    break;
                case "mtime":
                    entry = entry with { ModTime = ParsePaxTime(value) };
                    break;
                case "atime":
                case "ctime":
                    ParsePaxTime(value);
                    break;
            }
        }
        return entry with { PaxRecords = records };
    }

    private static long ParsePaxInteger(ByteString value, string what) =>
        TarNumbers.TryParseDecimal(value.Span, out var number)
            ? number
            : throw new TarFormatException($"invalid PAX {what} '{value}'");

    /// <summary>PAX time: decimal seconds with an optional fraction, truncated to nanoseconds.</summary>
    private static ZtocTime ParsePaxTime(ByteString value)
    {
        var text = value.Span;
        var dot = text.IndexOf((byte)'.');
        var secondsText = dot >= 0 ? text[..dot] : text;
        if (!TarNumbers.TryParseDecimal(secondsText, out var seconds))
        {
            throw new TarFormatException($"invalid PAX time '{value}'");
        }
        if (dot < 0 || dot == text.Length - 1)
        {
            return new ZtocTime(seconds, 0);
        }
        var fraction = text[(dot + 1)..];
        if (fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new TarFormatException($"invalid PAX time '{value}'");
        }
        long nanos = 0;
        for (var i = 0; i < 9; i++)
        {
            nanos = (nanos * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }
        return ZtocTime.FromUnix(seconds, secondsText.Length > 0 && secondsText[0] == (byte)'-' ? -nanos : nanos);
    }
}
