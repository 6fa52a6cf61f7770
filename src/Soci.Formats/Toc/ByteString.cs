using System.Text;

namespace Soci.Formats.Toc;

/// <summary>
/// An immutable byte string. Tar names, link targets, owner names and PAX records are bytes, not text:
/// Go's tar reader passes non-UTF-8 names through unchanged, so the ztoc must too.
/// </summary>
public sealed class ByteString : IEquatable<ByteString>, IComparable<ByteString>
{
    private readonly byte[] _bytes;

    public static readonly ByteString Empty = new([]);

    private ByteString(byte[] bytes) => _bytes = bytes;

    public static ByteString FromBytes(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? Empty : new ByteString(bytes.ToArray());

    public static ByteString FromString(string text) => text.Length == 0 ? Empty : new ByteString(Encoding.UTF8.GetBytes(text));

    public ReadOnlySpan<byte> Span => _bytes;

    public int Length => _bytes.Length;

    public bool IsEmpty => _bytes.Length == 0;

    /// <summary>UTF-8 decoding for display and lookups (invalid sequences become U+FFFD).</summary>
    public override string ToString() => Encoding.UTF8.GetString(_bytes);

    public bool Equals(ByteString? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is ByteString other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Byte-wise order, the order Go uses for string comparisons.</summary>
    public int CompareTo(ByteString? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    public bool EndsWith(ReadOnlySpan<byte> suffix) => _bytes.AsSpan().EndsWith(suffix);

    public bool StartsWith(ReadOnlySpan<byte> prefix) => _bytes.AsSpan().StartsWith(prefix);
}
