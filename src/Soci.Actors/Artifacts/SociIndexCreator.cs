using System.Globalization;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Actors.Artifacts;

/// <summary>
/// <c>soci create</c>'s work (algorithms §1, cli.md §2): for each requested platform of a local image, build a
/// SOCI index, keep the ztocs, the <c>{}</c> config and the index in the content store, and record all of them in
/// the artifacts database.
/// </summary>
public sealed class SociIndexCreator
{
    private readonly IArtifactContentStore _store;
    private readonly ArtifactsDatabase _database;
    private readonly Action<string> _report;
    private readonly Action<string, long, long>? _progress;

    /// <param name="report">Receives upstream's per-layer output lines.</param>
    /// <param name="progress">Receives (layer digest, bytes read, bytes to read) while ztocs are built.</param>
    public SociIndexCreator(IArtifactContentStore store, ArtifactsDatabase database, Action<string> report, Action<string, long, long>? progress = null)
    {
        _store = store;
        _database = database;
        _report = report;
        _progress = progress;
    }

    public async Task<IReadOnlyList<CreatedIndex>> CreateAsync(IImageSource image, IReadOnlyList<OciPlatform> platforms, bool allPlatforms,
        SociIndexBuildOptions options, CancellationToken cancellationToken)
    {
        var targets = await PlatformManifestResolver.ResolveAsync(image, platforms, allPlatforms, cancellationToken).ConfigureAwait(false);
        var created = new List<CreatedIndex>();
        foreach (var target in targets)
        {
            created.Add(await CreateOneAsync(image, target, options, cancellationToken).ConfigureAwait(false));
        }
        return created;
    }

    private async Task<CreatedIndex> CreateOneAsync(IImageSource image, PlatformImage target, SociIndexBuildOptions options, CancellationToken cancellationToken)
    {
        var context = new BuildContext(this, image);
        var subject = new Descriptor { MediaType = target.ManifestDescriptor.MediaType, Digest = target.ManifestDescriptor.Digest, Size = target.ManifestDescriptor.Size };
        var layers = target.Manifest.Layers.Select(ToDescriptor).ToList();
        var result = await new SociIndexBuilder(options, context).BuildAsync(subject, layers, cancellationToken).ConfigureAwait(false);

        await _store.WriteAsync(SociMediaTypes.EmptyConfigDigest, SociMediaTypes.EmptyConfig.ToArray(), NoLabels, cancellationToken).ConfigureAwait(false);
        await _store.WriteAsync(result.Digest, result.Bytes, IndexLabels(result.Index), cancellationToken).ConfigureAwait(false);
        var platform = target.Platform.ToString();
        _database.Put(new ArtifactEntry
        {
            Digest = result.Digest,
            Size = result.Bytes.Length,
            Location = target.ManifestDescriptor.Digest,
            OriginalDigest = target.ManifestDescriptor.Digest,
            ImageDigest = image.Target.Digest,
            Platform = platform,
            Type = ArtifactEntry.IndexType,
            MediaType = SociMediaTypes.ImageManifest,
            ArtifactType = options.ArtifactType,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return new CreatedIndex(target, result);
    }

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>containerd GC references from the index to its config and blobs (formats §8.1); ignored by the soci store.</summary>
    private static Dictionary<string, string> IndexLabels(SociIndex index)
    {
        var labels = new Dictionary<string, string> { ["containerd.io/gc.ref.content.config"] = SociMediaTypes.EmptyConfigDigest };
        for (var i = 0; i < index.Blobs.Count; i++)
        {
            labels[$"containerd.io/gc.ref.content.ztoc.{i.ToString(CultureInfo.InvariantCulture)}"] = index.Blobs[i].Digest;
        }
        return labels;
    }

    private static Descriptor ToDescriptor(OciDescriptor layer) =>
        new() { MediaType = layer.MediaType, Digest = layer.Digest, Size = layer.Size, Annotations = layer.Annotations };

    /// <summary>Connects the pure builder to the image's blobs, the content store and the database.</summary>
    private sealed class BuildContext(SociIndexCreator creator, IImageSource image) : ISociIndexBuildContext
    {
        public Task<Stream> OpenLayerAsync(Descriptor layer, CancellationToken cancellationToken) =>
            image.OpenBlobAsync(new OciDescriptor { MediaType = layer.MediaType, Digest = layer.Digest, Size = layer.Size }, cancellationToken);

        public async Task<StoredZtoc?> FindZtocAsync(Descriptor layer, long spanSize, CancellationToken cancellationToken)
        {
            foreach (var entry in creator._database.ZtocsFor(layer.Digest, spanSize))
            {
                // A recorded ztoc whose blob is gone from the store is rebuilt (formats §8.2).
                if (await creator._store.TryReadAsync(entry.Digest, cancellationToken).ConfigureAwait(false) is { } bytes)
                {
                    return new StoredZtoc(entry.Digest, bytes);
                }
            }
            return null;
        }

        public async Task StoreZtocAsync(Descriptor layer, StoredZtoc ztoc, long spanSize, CancellationToken cancellationToken)
        {
            await creator._store.WriteAsync(ztoc.Digest, ztoc.Bytes, NoLabels, cancellationToken).ConfigureAwait(false);
            creator._database.Put(new ArtifactEntry
            {
                Digest = ztoc.Digest,
                Size = ztoc.Bytes.Length,
                Location = layer.Digest,
                OriginalDigest = layer.Digest,
                Type = ArtifactEntry.ZtocType,
                MediaType = SociMediaTypes.Ztoc,
                CreatedAt = DateTimeOffset.UtcNow,
                SpanSize = spanSize,
            });
        }

        public void Report(string line) => creator._report(line);

        public void ReportProgress(Descriptor layer, long bytesRead, long bytesTotal) => creator._progress?.Invoke(layer.Digest, bytesRead, bytesTotal);
    }
}
