using Soci.Formats.Toc;

namespace Soci.Formats.Tar;

/// <summary>Decodes one 512-byte tar header block (checksum, format detection, fields) like Go's <c>archive/tar</c>.</summary>
internal static class TarHeaderParser
{
    private enum Format
    {
        V7,
        UstarOrPax,
        Gnu,
        Star,
    }

    public static TarEntry Parse(ReadOnlySpan<byte> block, long offset)
    {
        var format = DetectFormat(block, offset);
        var modTime = TarNumbers.ParseNumeric(block.Slice(136, 12), "mtime");
        var name = TarNumbers.CString(block[..100]);
        var uname = ReadOnlySpan<byte>.Empty;
        var gname = ReadOnlySpan<byte>.Empty;
        long devMajor = 0;
        long devMinor = 0;
        var prefix = ReadOnlySpan<byte>.Empty;
        if (format != Format.V7)
        {
            uname = TarNumbers.CString(block.Slice(265, 32));
            gname = TarNumbers.CString(block.Slice(297, 32));
            devMajor = TarNumbers.ParseNumeric(block.Slice(329, 8), "devmajor");
            devMinor = TarNumbers.ParseNumeric(block.Slice(337, 8), "devminor");
            prefix = format switch
            {
                Format.UstarOrPax => TarNumbers.CString(block.Slice(345, 155)),
                Format.Star => TarNumbers.CString(block.Slice(345, 131)),
                _ => ReadOnlySpan<byte>.Empty, // GNU keeps atime/ctime where ustar has the prefix
            };
        }
        var fullName = prefix.IsEmpty ? ByteString.FromBytes(name) : ByteString.FromBytes([.. prefix, (byte)'/', .. name]);
        return new TarEntry
        {
            Name = fullName,
            Typeflag = block[156],
            Size = TarNumbers.ParseNumeric(block.Slice(124, 12), "size"),
            Mode = TarNumbers.ParseNumeric(block.Slice(100, 8), "mode"),
            Uid = TarNumbers.ParseNumeric(block.Slice(108, 8), "uid"),
            Gid = TarNumbers.ParseNumeric(block.Slice(116, 8), "gid"),
            Linkname = ByteString.FromBytes(TarNumbers.CString(block.Slice(157, 100))),
            Uname = ByteString.FromBytes(uname),
            Gname = ByteString.FromBytes(gname),
            ModTime = new ZtocTime(modTime, 0),
            DevMajor = devMajor,
            DevMinor = devMinor,
            PaxRecords = [],
            DataOffset = 0,
        };
    }

    private static Format DetectFormat(ReadOnlySpan<byte> block, long offset)
    {
        long stored;
        try
        {
            stored = TarNumbers.ParseOctal(block.Slice(148, 8), "checksum");
        }
        catch (TarFormatException)
        {
            throw new TarFormatException($"invalid tar header at offset {offset}: bad checksum field");
        }
        var (unsigned, signed) = Checksums(block);
        if (stored != unsigned && stored != signed)
        {
            throw new TarFormatException($"invalid tar header at offset {offset}: checksum mismatch");
        }
        var magic = block.Slice(257, 6);
        var version = block.Slice(263, 2);
        if (magic.SequenceEqual("ustar\0"u8))
        {
            return block.Slice(508, 4).SequenceEqual("tar\0"u8) ? Format.Star : Format.UstarOrPax;
        }
        return magic.SequenceEqual("ustar "u8) && version.SequenceEqual(" \0"u8) ? Format.Gnu : Format.V7;
    }

    /// <summary>Sums of the block with the checksum field read as spaces, as unsigned and as signed bytes.</summary>
    private static (long Unsigned, long Signed) Checksums(ReadOnlySpan<byte> block)
    {
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < block.Length; i++)
        {
            var c = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += c;
            signed += (sbyte)c;
        }
        return (unsigned, signed);
    }
}
