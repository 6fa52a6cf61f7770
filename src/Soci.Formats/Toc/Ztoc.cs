namespace Soci.Formats.Toc;

/// <summary>A ztoc: the TOC of a layer plus the compression info that allows decompressing it from the middle.</summary>
public sealed record Ztoc
{
    public const string CurrentVersion = "0.9";
    public const string DefaultBuildTool = "AWS SOCI CLI v0.2";

    public string Version { get; init; } = CurrentVersion;

    public ByteString BuildToolIdentifier { get; init; } = ByteString.FromString(DefaultBuildTool);

    public long CompressedArchiveSize { get; init; }

    public long UncompressedArchiveSize { get; init; }

    /// <summary>Tar entries: in tar order when built, sorted by data offset after parsing.</summary>
    public IReadOnlyList<FileMetadata> Files { get; init; } = [];

    /// <summary><c>gzip</c>, <c>uncompressed</c>, empty (not written, reads back as gzip) or an unknown value read from the wire.</summary>
    public string CompressionAlgorithm { get; init; } = CompressionAlgorithms.Gzip;

    public int MaxSpanId { get; init; }

    /// <summary>One <c>sha256:&lt;hex&gt;</c> per span; an unparsable stored digest reads as empty.</summary>
    public IReadOnlyList<string> SpanDigests { get; init; } = [];

    /// <summary>The opaque zinfo blob (gzip checkpoint blob or TarZinfo FlatBuffer).</summary>
    public ReadOnlyMemory<byte> Checkpoints { get; init; }
}
