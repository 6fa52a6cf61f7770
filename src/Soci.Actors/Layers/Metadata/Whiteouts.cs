using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>The OCI whiteout naming convention: <c>.wh.&lt;name&gt;</c> deletes a name, <c>.wh..wh..opq</c> makes its directory opaque.</summary>
public static class Whiteouts
{
    public static ReadOnlySpan<byte> Prefix => ".wh."u8;

    public static ReadOnlySpan<byte> OpaqueMarker => ".wh..wh..opq"u8;

    public static bool HasPrefix(ReadOnlySpan<byte> name) => name.StartsWith(Prefix);

    public static bool IsOpaqueMarker(ReadOnlySpan<byte> name) => name.SequenceEqual(OpaqueMarker);

    /// <summary>A whiteout of one name (not the opaque marker).</summary>
    public static bool IsWhiteout(ByteString name) => HasPrefix(name.Span) && !IsOpaqueMarker(name.Span);

    /// <summary>The name a whiteout deletes.</summary>
    public static ByteString Target(ByteString whiteout) => ByteString.FromBytes(whiteout.Span[Prefix.Length..]);

    public static ByteString WhiteoutOf(ReadOnlySpan<byte> name)
    {
        var bytes = new byte[Prefix.Length + name.Length];
        Prefix.CopyTo(bytes);
        name.CopyTo(bytes.AsSpan(Prefix.Length));
        return ByteString.FromBytes(bytes);
    }
}
