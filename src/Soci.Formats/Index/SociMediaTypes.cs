namespace Soci.Formats.Index;

/// <summary>Media types, annotation keys and the empty config of SOCI index manifests (formats §5.1).</summary>
public static class SociMediaTypes
{
    public const string IndexV1 = "application/vnd.amazon.soci.index.v1+json";
    public const string IndexV2 = "application/vnd.amazon.soci.index.v2+json";
    public const string Ztoc = "application/octet-stream";
    public const string Prefetch = "application/vnd.amazon.soci.prefetch.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    public const string EmptyConfigDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public static ReadOnlySpan<byte> EmptyConfig => "{}"u8;

    public const string BuildToolAnnotation = "com.amazon.soci.build-tool-identifier";
    public const string LayerDigestAnnotation = "com.amazon.soci.image-layer-digest";
    public const string LayerMediaTypeAnnotation = "com.amazon.soci.image-layer-mediaType";
    public const string SpanSizeAnnotation = "com.amazon.soci.span-size";
    public const string DisableXattrsAnnotation = "com.amazon.soci.disable-xattrs";
    public const string IndexDigestAnnotation = "com.amazon.soci.index-digest";
    public const string ImageManifestDigestAnnotation = "com.amazon.soci.image-manifest-digest";
}
