using Soci.Formats.Toc;

namespace Soci.Formats.Index;

/// <summary>
/// Which image layers a SOCI index can cover, by media type (algorithms §1 step 2): containerd's layer-type test and
/// its <c>DiffCompression</c> rules, which upstream applies before building a ztoc.
/// </summary>
public static class LayerMediaTypes
{
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciNonDistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerGzipLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerZstdLayer = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public const string DockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar";
    public const string DockerForeignGzipLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>containerd's name for a Docker tar layer that may or may not be compressed.</summary>
    public const string Unknown = "unknown";

    /// <summary>The algorithms a ztoc can be built for, as upstream's "unsupported format" message lists them.</summary>
    public const string SupportedList = "[tar, gzip, unknown]";

    private const string OciLayerPrefix = "application/vnd.oci.image.layer.";

    public static bool IsLayer(string mediaType)
    {
        if (mediaType.StartsWith(OciLayerPrefix, StringComparison.Ordinal))
        {
            return true;
        }
        return Split(mediaType).Base is DockerLayer or DockerGzipLayer or DockerZstdLayer or DockerForeignLayer or DockerForeignGzipLayer;
    }

    /// <summary>
    /// The layer's compression: <c>gzip</c>, <c>zstd</c>, <c>unknown</c>, <c>uncompressed</c> (only for the plain OCI
    /// tar type) or "" for types containerd cannot unpack without another wrapper.
    /// </summary>
    /// <exception cref="SociIndexBuildException">The media type is not one containerd knows a compression for.</exception>
    public static string Compression(string mediaType)
    {
        var (baseType, suffixes) = Split(mediaType);
        var compression = baseType switch
        {
            DockerLayer or DockerForeignLayer => suffixes.Length > 0 ? "" : Unknown,
            DockerGzipLayer or DockerForeignGzipLayer => suffixes.Length > 0 ? "" : "gzip",
            DockerZstdLayer => suffixes.Length > 0 ? "" : "zstd",
            OciLayer or OciNonDistributableLayer => suffixes.Length > 0 && suffixes[^1] is "gzip" or "zstd" ? suffixes[^1] : "",
            _ => throw new SociIndexBuildException($"could not determine layer compression: unrecognised mediatype {mediaType}"),
        };
        return compression.Length == 0 && mediaType == OciLayer ? CompressionAlgorithms.Uncompressed : compression;
    }

    /// <summary>The ztoc algorithm for a supported compression, or null when a ztoc cannot be built for it.</summary>
    public static string? ZtocAlgorithm(string compression) => compression switch
    {
        CompressionAlgorithms.Gzip => CompressionAlgorithms.Gzip,
        CompressionAlgorithms.Uncompressed or Unknown => CompressionAlgorithms.Uncompressed,
        _ => null,
    };

    private static (string Base, string[] Suffixes) Split(string mediaType)
    {
        var parts = mediaType.Split('+');
        var suffixes = parts[1..];
        Array.Sort(suffixes, StringComparer.Ordinal);
        return (parts[0], suffixes);
    }
}
