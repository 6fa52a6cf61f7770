using System.Globalization;
using System.Text;

namespace Soci.Formats.Tar;

/// <summary>Numeric and string fields of tar headers, parsed the way Go's <c>archive/tar</c> parses them.</summary>
internal static class TarNumbers
{
    /// <summary>Bytes up to the first NUL.</summary>
    public static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return nul >= 0 ? field[..nul] : field;
    }

    /// <summary>Base-256 (high bit set) or octal padded with spaces/NULs; throws on garbage.</summary>
    public static long ParseNumeric(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            byte invert = (field[0] & 0x40) != 0 ? (byte)0xff : (byte)0;
            ulong value = 0;
            for (var i = 0; i < field.Length; i++)
            {
                var c = (byte)(field[i] ^ invert);
                if (i == 0)
                {
                    c &= 0x7f;
                }
                if ((value >> 56) > 0)
                {
                    throw new TarFormatException($"invalid tar header: base-256 {what} overflows");
                }
                value = (value << 8) | (ulong)c;
            }
            if ((value >> 63) > 0)
            {
                throw new TarFormatException($"invalid tar header: base-256 {what} overflows");
            }
            return invert == 0xff ? ~(long)value : (long)value;
        }
        return ParseOctal(field, what);
    }

    public static long ParseOctal(ReadOnlySpan<byte> field, string what)
    {
        var trimmed = CString(field.Trim(" \0"u8));
        if (trimmed.IsEmpty)
        {
            return 0;
        }
        ulong value = 0;
        foreach (var c in trimmed)
        {
            if (c is < (byte)'0' or > (byte)'7' || value > (ulong.MaxValue >> 3))
            {
                throw new TarFormatException($"invalid tar header: bad octal {what} '{Encoding.Latin1.GetString(trimmed)}'");
            }
            value = (value << 3) | (uint)(c - '0');
        }
        return unchecked((long)value);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 64)</c>.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(Encoding.Latin1.GetString(text), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
