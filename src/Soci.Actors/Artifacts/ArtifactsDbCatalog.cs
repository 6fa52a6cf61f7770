using Soci.Actors.Conversion;
using Soci.Formats.Index;

namespace Soci.Actors.Artifacts;

/// <summary>The artifacts database as a conversion's catalog: ztocs for reuse, v2 indexes with the manifest and image they belong to.</summary>
public sealed class ArtifactsDbCatalog : ISociArtifactsCatalog
{
    private readonly ArtifactsDatabase _database;

    public ArtifactsDbCatalog(ArtifactsDatabase database) => _database = database;

    public Task<string?> FindZtocAsync(string layerDigest, long spanSize, CancellationToken cancellationToken) =>
        Task.FromResult(_database.ZtocsFor(layerDigest, spanSize).FirstOrDefault()?.Digest);

    public Task RecordZtocAsync(string layerDigest, string ztocDigest, long ztocSize, long spanSize, CancellationToken cancellationToken)
    {
        _database.Put(new ArtifactEntry
        {
            Digest = ztocDigest,
            Size = ztocSize,
            Location = layerDigest,
            OriginalDigest = layerDigest,
            Type = ArtifactEntry.ZtocType,
            MediaType = SociMediaTypes.Ztoc,
            CreatedAt = DateTimeOffset.UtcNow,
            SpanSize = spanSize,
        });
        return Task.CompletedTask;
    }

    public Task RecordIndexAsync(SociIndexRecord record, CancellationToken cancellationToken)
    {
        _database.Put(new ArtifactEntry
        {
            Digest = record.Digest,
            Size = record.Size,
            Location = record.ManifestDigest,
            OriginalDigest = record.ManifestDigest,
            ImageDigest = record.ImageDigest,
            Platform = record.Platform,
            Type = ArtifactEntry.IndexType,
            MediaType = SociMediaTypes.ImageManifest,
            ArtifactType = record.ArtifactType,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return Task.CompletedTask;
    }
}
