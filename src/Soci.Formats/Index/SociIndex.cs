using System.Globalization;

namespace Soci.Formats.Index;

/// <summary>
/// A SOCI index (formats §5): an OCI image manifest whose config is the empty <c>{}</c> blob typed with the index
/// version, whose layers are the ztoc (then prefetch) descriptors, and which refers to its image via
/// <c>subject</c> in v1 only.
/// </summary>
public sealed record SociIndex
{
    /// <summary><see cref="SociMediaTypes.IndexV1"/> or <see cref="SociMediaTypes.IndexV2"/>.</summary>
    public required string ArtifactType { get; init; }

    public required IReadOnlyList<Descriptor> Blobs { get; init; }

    public Descriptor? Subject { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Annotations upstream's CLI writes: only the build tool identifier.</summary>
    public static IReadOnlyDictionary<string, string> BuildToolAnnotations(string buildTool) =>
        new Dictionary<string, string> { [SociMediaTypes.BuildToolAnnotation] = buildTool };

    /// <summary>The descriptor of one layer's ztoc with upstream's annotations (formats §5.2, §5.4).</summary>
    public static Descriptor ZtocDescriptor(string ztocDigest, long ztocSize, string layerDigest, string layerMediaType, long spanSize, bool disableXattrs = false)
    {
        var annotations = new Dictionary<string, string>
        {
            [SociMediaTypes.LayerDigestAnnotation] = layerDigest,
            [SociMediaTypes.LayerMediaTypeAnnotation] = layerMediaType,
            [SociMediaTypes.SpanSizeAnnotation] = spanSize.ToString(CultureInfo.InvariantCulture),
        };
        if (disableXattrs)
        {
            annotations[SociMediaTypes.DisableXattrsAnnotation] = "true";
        }
        return new Descriptor { MediaType = SociMediaTypes.Ztoc, Digest = ztocDigest, Size = ztocSize, Annotations = annotations };
    }

    /// <summary>The descriptor of a prefetch artifact for one layer.</summary>
    public static Descriptor PrefetchDescriptor(string digest, long size, string layerDigest) =>
        new()
        {
            MediaType = SociMediaTypes.Prefetch,
            Digest = digest,
            Size = size,
            Annotations = new Dictionary<string, string> { [SociMediaTypes.LayerDigestAnnotation] = layerDigest },
        };
}
