using Soci.Formats.Compression;
using Soci.Formats.Toc;

namespace Soci.Formats.Build;

/// <summary>
/// Builds a ztoc from a layer file (algorithms §2–§3): one streaming pass inflates the layer, reads the tar
/// headers and records checkpoints, while the span digests are computed on a second thread (uncompressed layers:
/// one pass reads the headers, a second computes the span digests).
/// </summary>
public sealed class ZtocBuilder
{
    public const long DefaultSpanSize = 4 * 1024 * 1024;

    private readonly string _buildTool;

    public ZtocBuilder(string buildTool = Ztoc.DefaultBuildTool) => _buildTool = buildTool;

    /// <summary>Builds with the compression detected from the file's magic bytes.</summary>
    public Ztoc BuildFromFile(string layerPath, long spanSize = DefaultSpanSize)
    {
        using var layer = OpenLayer(layerPath);
        return Build(layer, LayerCompression.Detect(layer), spanSize);
    }

    /// <summary>Builds a ztoc for a seekable layer stream of the given algorithm (<c>gzip</c> or <c>uncompressed</c>).</summary>
    public Ztoc Build(Stream layer, string algorithm, long spanSize = DefaultSpanSize)
    {
        if (spanSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spanSize), "span size must not be negative");
        }
        layer.Position = 0;
        return algorithm switch
        {
            CompressionAlgorithms.Gzip => BuildGzip(layer, spanSize),
            CompressionAlgorithms.Uncompressed => BuildUncompressed(layer, spanSize),
            _ => throw new ZtocFormatException($"unsupported compression algorithm '{algorithm}' (supported: gzip, uncompressed)"),
        };
    }

    private Ztoc BuildGzip(Stream layer, long spanSize)
    {
        LayerCompression.RequireGzip(layer);
        var compressedSize = layer.Length;
        List<FileMetadata> files;
        long uncompressedSize;
        byte[] blob;
        IReadOnlyList<string> spanDigests;
        using (var inflating = new CheckpointingGzipStream(layer, spanSize))
        {
            (files, uncompressedSize) = TocBuilder.Read(inflating);
            inflating.ReadToEnd();
            blob = GzipZinfo.Serialize(spanSize, inflating.Checkpoints);
            spanDigests = inflating.SpanDigests;
        }
        var zinfo = GzipZinfo.Parse(blob, compressedSize, uncompressedSize);
        return Assemble(files, compressedSize, uncompressedSize, CompressionAlgorithms.Gzip, zinfo, blob, spanDigests.ToList());
    }

    private Ztoc BuildUncompressed(Stream layer, long spanSize)
    {
        if (spanSize == 0)
        {
            throw new ZtocFormatException("span size 0 is not valid for uncompressed layers");
        }
        var size = layer.Length;
        var (files, uncompressedSize) = TocBuilder.Read(layer);
        var blob = TarZinfo.Serialize(spanSize, size);
        var zinfo = TarZinfo.Parse(blob, size, uncompressedSize);
        return Assemble(files, size, uncompressedSize, CompressionAlgorithms.Uncompressed, zinfo, blob, SpanDigester.Compute(layer, zinfo));
    }

    private Ztoc Assemble(List<FileMetadata> files, long compressedSize, long uncompressedSize, string algorithm, Zinfo zinfo, byte[] blob,
        List<string> spanDigests) =>
        new()
        {
            Version = Ztoc.CurrentVersion,
            BuildToolIdentifier = ByteString.FromString(_buildTool),
            CompressedArchiveSize = compressedSize,
            UncompressedArchiveSize = uncompressedSize,
            Files = files,
            CompressionAlgorithm = algorithm,
            MaxSpanId = zinfo.MaxSpanId,
            SpanDigests = spanDigests,
            Checkpoints = blob,
        };

    private static FileStream OpenLayer(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
