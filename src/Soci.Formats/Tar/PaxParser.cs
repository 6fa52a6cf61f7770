using Soci.Formats.Toc;

namespace Soci.Formats.Tar;

/// <summary>Parses the data of a PAX extended header (<c>"%d %s=%s\n"</c> records).</summary>
internal static class PaxParser
{
    private static readonly byte[] SparsePrefix = "GNU.sparse."u8.ToArray();

    /// <summary>Records with later duplicates overriding earlier ones, sorted by key bytes.</summary>
    public static List<PaxRecord> Parse(ReadOnlySpan<byte> data)
    {
        var records = new SortedDictionary<ByteString, ByteString>();
        while (!data.IsEmpty)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !TarNumbers.TryParseDecimal(data[..space], out var length) || length < 5 || length > data.Length)
            {
                throw new TarFormatException("invalid PAX record: bad length");
            }
            var record = data[..(int)length];
            if (record[^1] != (byte)'\n' || length <= space + 1)
            {
                throw new TarFormatException("invalid PAX record: missing newline");
            }
            var keyValue = record[(space + 1)..^1];
            var equals = keyValue.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new TarFormatException("invalid PAX record: missing '='");
            }
            var key = keyValue[..equals];
            var value = keyValue[(equals + 1)..];
            if (!IsValid(key, value))
            {
                throw new TarFormatException("invalid PAX record: NUL in key or value");
            }
            if (key.StartsWith(SparsePrefix))
            {
                throw new TarFormatException("GNU sparse files are not supported");
            }
            records[ByteString.FromBytes(key)] = ByteString.FromBytes(value);
            data = data[(int)length..];
        }
        return records.Select(r => new PaxRecord(r.Key, r.Value)).ToList();
    }

    private static bool IsValid(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.SequenceEqual("path"u8) || key.SequenceEqual("linkpath"u8) || key.SequenceEqual("uname"u8) || key.SequenceEqual("gname"u8))
        {
            return !value.Contains((byte)0);
        }
        return !key.Contains((byte)0);
    }
}
