namespace Soci.Actors.Artifacts;

/// <summary>
/// One row of the artifacts database (formats §8.2): a SOCI index, ztoc or prefetch artifact and what it was built for.
/// </summary>
public sealed record ArtifactEntry
{
    public const string IndexType = "soci_index";
    public const string ZtocType = "soci_layer";
    public const string PrefetchType = "soci_prefetch";

    public required string Digest { get; init; }

    public long Size { get; init; }

    /// <summary>Layer digest for ztocs, image manifest digest for indexes.</summary>
    public string Location { get; init; } = "";

    /// <summary>"Original digest": layer digest for ztocs and prefetch artifacts, image manifest digest for indexes.</summary>
    public string OriginalDigest { get; init; } = "";

    /// <summary>Digest of the image target (manifest or image index) an index was made for.</summary>
    public string ImageDigest { get; init; } = "";

    /// <summary>containerd platform format, e.g. <c>linux/amd64</c>.</summary>
    public string Platform { get; init; } = "";

    /// <summary><see cref="IndexType"/>, <see cref="ZtocType"/> or <see cref="PrefetchType"/>.</summary>
    public required string Type { get; init; }

    public string MediaType { get; init; } = "";

    /// <summary>The index artifact type (v1 or v2); empty for ztocs.</summary>
    public string ArtifactType { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Span size the ztoc was built with; 0 otherwise.</summary>
    public long SpanSize { get; init; }

    /// <summary>The "is index" test of <c>index rm</c>: indexes are stored as OCI image manifests.</summary>
    public bool IsIndex => MediaType == Soci.Formats.Index.SociMediaTypes.ImageManifest;
}
