using Soci.Formats.Toc;

namespace Soci.Formats.Build;

/// <summary>Recognises a layer's compression from its first bytes.</summary>
public static class LayerCompression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary><c>gzip</c> or <c>uncompressed</c>; zstd layers are rejected as unsupported.</summary>
    public static string Detect(Stream layer)
    {
        Span<byte> magic = stackalloc byte[4];
        var start = layer.Position;
        var read = layer.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        layer.Position = start;
        var head = magic[..read];
        if (head.StartsWith(ZstdMagic))
        {
            throw new ZtocFormatException("zstd compressed layers are not supported (supported: gzip, uncompressed tar)");
        }
        return head.StartsWith(GzipMagic) ? CompressionAlgorithms.Gzip : CompressionAlgorithms.Uncompressed;
    }

    /// <summary>Fails clearly when a layer declared as gzip is something else.</summary>
    public static void RequireGzip(Stream layer)
    {
        if (Detect(layer) != CompressionAlgorithms.Gzip)
        {
            throw new ZtocFormatException("layer is not gzip compressed (no gzip magic bytes)");
        }
    }
}
