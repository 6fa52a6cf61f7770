using System.Globalization;
using Soci.Formats.Index;
using Soci.Formats.Toc;

namespace Soci.Actors.Artifacts;

/// <summary>
/// <c>soci rebuild-db</c> (cli.md §5): drops database entries whose blobs left the content store, then rediscovers
/// v1 SOCI indexes (and their ztocs) found in the store but missing from the database.
/// </summary>
public sealed class ArtifactsDbRebuilder
{
    /// <summary>Indexes are small JSON documents; larger blobs (layers) are not read to find out they are not one.</summary>
    private const long MaxIndexBytes = 16 << 20;

    /// <summary>Upstream ignores blobs shorter than this.</summary>
    private const long MinIndexBytes = 10;

    private readonly IArtifactContentStore _store;
    private readonly ArtifactsDatabase _database;
    private readonly Func<string, CancellationToken, Task<string?>> _platformOfManifest;

    /// <param name="platformOfManifest">The platform (e.g. <c>linux/amd64</c>) of an image manifest digest, or null when unknown.</param>
    public ArtifactsDbRebuilder(IArtifactContentStore store, ArtifactsDatabase database, Func<string, CancellationToken, Task<string?>> platformOfManifest)
    {
        _store = store;
        _database = database;
        _platformOfManifest = platformOfManifest;
    }

    public async Task<RebuildSummary> RebuildAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var entry in _database.List())
        {
            if (!await _store.ContainsAsync(entry.Digest, cancellationToken).ConfigureAwait(false))
            {
                _database.Remove(entry.Digest);
                removed++;
            }
        }

        var added = 0;
        var blobs = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var present = blobs.Select(blob => blob.Digest).ToHashSet(StringComparer.Ordinal);
        foreach (var (digest, size) in blobs)
        {
            if (size is < MinIndexBytes or > MaxIndexBytes || _database.Get(digest) is not null)
            {
                continue;
            }
            var bytes = await _store.TryReadAsync(digest, cancellationToken).ConfigureAwait(false);
            if (bytes is null || bytes[0] != (byte)'{' || TryParseIndex(bytes) is not { } index)
            {
                continue;
            }
            var subject = index.Subject!;
            var platform = await _platformOfManifest(subject.Digest, cancellationToken).ConfigureAwait(false) ?? "";
            var now = DateTimeOffset.UtcNow;
            _database.Put(new ArtifactEntry
            {
                Digest = digest,
                Size = size,
                Location = subject.Digest,
                OriginalDigest = subject.Digest,
                ImageDigest = subject.Digest,
                Platform = platform,
                Type = ArtifactEntry.IndexType,
                MediaType = SociMediaTypes.ImageManifest,
                ArtifactType = index.ArtifactType,
                CreatedAt = now,
            });
            added++;
            foreach (var blob in index.Blobs.Where(blob => present.Contains(blob.Digest) && _database.Get(blob.Digest) is null))
            {
                if (BlobEntry(blob, now) is { } entry)
                {
                    _database.Put(entry);
                    added++;
                }
            }
        }
        return new RebuildSummary(removed, added);
    }

    /// <summary>A v1 index with a subject; anything else (v2 indexes included, as upstream) is not rediscovered.</summary>
    private static SociIndex? TryParseIndex(byte[] bytes)
    {
        try
        {
            var index = SociIndexSerializer.Parse(bytes);
            return index.ArtifactType == SociMediaTypes.IndexV1 && index.Subject is not null && IsOciManifest(bytes) ? index : null;
        }
        catch (ZtocFormatException)
        {
            return null;
        }
    }

    private static bool IsOciManifest(byte[] bytes)
    {
        using var document = System.Text.Json.JsonDocument.Parse(bytes);
        return document.RootElement.TryGetProperty("mediaType", out var mediaType) && mediaType.GetString() == SociMediaTypes.ImageManifest;
    }

    private static ArtifactEntry? BlobEntry(Descriptor blob, DateTimeOffset createdAt)
    {
        var layer = blob.Annotations?.GetValueOrDefault(SociMediaTypes.LayerDigestAnnotation) ?? "";
        var type = blob.MediaType switch
        {
            SociMediaTypes.Ztoc => ArtifactEntry.ZtocType,
            SociMediaTypes.Prefetch => ArtifactEntry.PrefetchType,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }
        var spanSize = blob.Annotations?.GetValueOrDefault(SociMediaTypes.SpanSizeAnnotation) is { } text
                       && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return new ArtifactEntry
        {
            Digest = blob.Digest,
            Size = blob.Size,
            Location = layer,
            OriginalDigest = layer,
            Type = type,
            MediaType = blob.MediaType,
            CreatedAt = createdAt,
            SpanSize = spanSize,
        };
    }
}
