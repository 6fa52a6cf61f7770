using Soci.Actors.Layers.Metadata;
using Soci.Actors.Layers.Spans;
using Soci.Formats.Compression;
using Soci.Formats.Toc;

namespace Soci.Actors.Layers;

/// <summary>
/// What serving one layer needs from its ztoc, prepared once: the metadata tree, the span table and the span
/// digests. Building it (parsing the ztoc, packing the tree, compressing the checkpoint windows) is the costly part
/// of resolving a layer; it is stored per ztoc (<see cref="Persistence.PreparedLayerFile"/>) so a restarted daemon
/// reads it back instead.
/// </summary>
public sealed class PreparedLayer
{
    internal PreparedLayer(long compressedSize, LayerMetadata metadata, SpanTable spans, IReadOnlyList<string> spanDigests)
    {
        if (spanDigests.Count != spans.SpanCount)
        {
            throw new InvalidDataException($"{spanDigests.Count} span digests for {spans.SpanCount} spans");
        }
        CompressedSize = compressedSize;
        Metadata = metadata;
        Spans = spans;
        SpanDigests = spanDigests;
    }

    /// <summary>The layer blob's size as the ztoc records it.</summary>
    public long CompressedSize { get; }

    public LayerMetadata Metadata { get; }

    internal SpanTable Spans { get; }

    public IReadOnlyList<string> SpanDigests { get; }

    /// <summary>Prepares a layer from its ztoc, checking the ztoc can be served.</summary>
    /// <exception cref="LayerMetadataException">The TOC does not form a tree.</exception>
    /// <exception cref="ZtocFormatException">The checkpoints or span digests do not fit the layer.</exception>
    public static PreparedLayer FromZtoc(Ztoc ztoc)
    {
        var zinfo = Zinfo.FromZtoc(ztoc);
        zinfo.CheckServable(ztoc);
        return new PreparedLayer(ztoc.CompressedArchiveSize, LayerMetadata.Build(ztoc.Files), SpanTable.From(zinfo), ztoc.SpanDigests);
    }
}
