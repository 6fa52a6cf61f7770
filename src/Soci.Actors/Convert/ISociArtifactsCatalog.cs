namespace Soci.Actors.Conversion;

/// <summary>
/// What conversion records about the artifacts it builds (the artifacts DB, formats §8.2): ztocs per layer and span
/// size, for reuse, and the v2 indexes with the annotated manifest and OCI index they belong to.
/// </summary>
public interface ISociArtifactsCatalog
{
    /// <summary>The digest of a ztoc recorded for this layer and span size, or null.</summary>
    Task<string?> FindZtocAsync(string layerDigest, long spanSize, CancellationToken cancellationToken);

    Task RecordZtocAsync(string layerDigest, string ztocDigest, long ztocSize, long spanSize, CancellationToken cancellationToken);

    Task RecordIndexAsync(SociIndexRecord record, CancellationToken cancellationToken);
}

/// <summary>An index entry: <paramref name="ManifestDigest"/> is the manifest it belongs to (the annotated one for
/// v2), <paramref name="ImageDigest"/> the image target (the new OCI index for v2).</summary>
public sealed record SociIndexRecord(string Digest, long Size, string ManifestDigest, string ImageDigest, string Platform, string ArtifactType);
