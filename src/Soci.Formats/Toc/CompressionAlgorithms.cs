namespace Soci.Formats.Toc;

/// <summary>The ztoc's compression algorithm names (formats §1.1) and their FlatBuffers enum values.</summary>
public static class CompressionAlgorithms
{
    public const string Gzip = "gzip";
    public const string Uncompressed = "uncompressed";

    public const sbyte GzipValue = 1;
    public const sbyte UncompressedValue = 2;

    /// <summary>Name for a wire value: unknown values read as <c>compressionalgorithm(n)</c>, like upstream.</summary>
    public static string FromWire(sbyte value) => value switch
    {
        GzipValue => Gzip,
        UncompressedValue => Uncompressed,
        _ => $"compressionalgorithm({value})",
    };

    /// <summary>Wire value for a name; the match is case-sensitive.</summary>
    public static sbyte ToWire(string name) => name switch
    {
        Gzip => GzipValue,
        Uncompressed => UncompressedValue,
        _ => throw new ZtocFormatException($"compression algorithm not defined in flatbuf: {name}"),
    };
}
