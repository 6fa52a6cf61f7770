using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Runtime.Content;
using Soci.Actors.Runtime.Metrics;
using Soci.Formats.Index;

namespace Soci.Actors.Runtime.Contexts;

/// <summary>
/// Index discovery (snapshotter.md §6.2: explicit digest label, else the v2 manifest annotation, else v1
/// referrers when enabled) and artifact fetch (§6.3: the index and every blob it lists, local content store
/// first, each stored with digest verification), always from the image's own registry, never a mirror.
/// </summary>
public sealed class RegistrySociArtifactFetcher(RegistryClient registry, LocalContentStore store, RuntimeSettings settings, ILogger logger)
    : ISociArtifactFetcher
{
    private static readonly OciPlatform HostPlatform = new() { Os = "linux", Architecture = "amd64" };

    public async Task<SociContext> FetchAsync(ImageSource image, CancellationToken cancellationToken)
    {
        try
        {
            var reference = ImageReference.Parse(image.Reference);
            var repository = registry.Repository(reference);
            var manifestDigest = image.ManifestDigest.Length > 0
                ? image.ManifestDigest
                : (await repository.ResolveAsync(reference.ManifestReference, HostPlatform, cancellationToken).ConfigureAwait(false)).Manifest.Descriptor.Digest;
            var indexDescriptor = await DiscoverAsync(repository, image, manifestDigest, cancellationToken).ConfigureAwait(false);
            return await FetchArtifactsAsync(repository, image.Reference, manifestDigest, indexDescriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RegistryException or FormatException or InvalidDataException or IOException or HttpRequestException
                                          or System.Text.Json.JsonException or Soci.Formats.Toc.ZtocFormatException)
        {
            throw new SociIndexUnavailableException($"unable to fetch SOCI artifacts for image \"{image.Reference}\": {error.Message}", error);
        }
    }

    private async Task<OciDescriptor> DiscoverAsync(RepositoryClient repository, ImageSource image, string manifestDigest, CancellationToken cancellationToken)
    {
        if (image.ExplicitIndexDigest.Length > 0)
        {
            logger.LogDebug("using provided soci index digest {Digest}", image.ExplicitIndexDigest);
            return new OciDescriptor { Digest = ContentDigest.Parse(image.ExplicitIndexDigest) };
        }

        if (!settings.SociV1 && !settings.SociV2)
        {
            throw new SociIndexUnavailableException("all lazy pull modes are disabled");
        }

        if (settings.SociV2)
        {
            var manifest = await repository.GetManifestAsync(manifestDigest, cancellationToken).ConfigureAwait(false);
            if (!manifest.IsIndex && manifest.AsManifest().Annotations?.GetValueOrDefault(SociMediaTypes.IndexDigestAnnotation) is { Length: > 0 } digest)
            {
                logger.LogDebug("using soci v2 index annotation {Digest}", digest);
                return new OciDescriptor { Digest = ContentDigest.Parse(digest) };
            }
        }
        else
        {
            logger.LogDebug("soci v2 is disabled");
        }

        if (settings.SociV1)
        {
            var referrers = await repository.GetReferrersAsync(manifestDigest, SociMediaTypes.IndexV1, cancellationToken).ConfigureAwait(false);
            if (referrers.Count > 0)
            {
                logger.LogDebug("using soci v1 index via referrers API {Digest}", referrers[0].Digest);
                return referrers[0];
            }
        }
        else
        {
            logger.LogDebug("soci v1 is disabled");
        }

        throw new SociIndexUnavailableException($"no SOCI index found for image {image.Reference}@{manifestDigest}");
    }

    private async Task<SociContext> FetchArtifactsAsync(RepositoryClient repository, string reference, string manifestDigest, OciDescriptor descriptor,
        CancellationToken cancellationToken)
    {
        logger.LogInformation("fetching SOCI artifacts using index descriptor {Digest}", descriptor.Digest);
        var started = Stopwatch.GetTimestamp();
        var indexBytes = await store.TryReadAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
        if (indexBytes is null)
        {
            var fetched = await repository.GetManifestAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
            indexBytes = fetched.Bytes;
            await store.WriteAsync(descriptor.Digest, descriptor.Size, indexBytes, cancellationToken).ConfigureAwait(false);
        }

        var index = SociIndexSerializer.Parse(indexBytes);
        var ztocs = index.Blobs
            .Where(blob => blob.MediaType == SociMediaTypes.Ztoc && blob.Annotations?.ContainsKey(SociMediaTypes.LayerDigestAnnotation) == true)
            .ToList();
        await Task.WhenAll(ztocs.Select(blob => FetchBlobAsync(repository, blob, cancellationToken))).ConfigureAwait(false);
        FsMetrics.ObserveOperation(FsMetrics.SociIndexFetch, "", Stopwatch.GetElapsedTime(started));

        var byLayer = new Dictionary<string, ZtocReference>();
        foreach (var blob in ztocs)
        {
            var layer = blob.Annotations![SociMediaTypes.LayerDigestAnnotation];
            var disableXattrs = blob.Annotations.GetValueOrDefault(SociMediaTypes.DisableXattrsAnnotation) == "true";
            byLayer.TryAdd(layer, new ZtocReference(layer, blob.Digest, blob.Size, disableXattrs));
        }

        return new SociContext(reference, manifestDigest, descriptor.Digest, byLayer);
    }

    private async Task FetchBlobAsync(RepositoryClient repository, Descriptor blob, CancellationToken cancellationToken)
    {
        if (store.Contains(blob.Digest))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var bytes = await repository.GetBlobAsync(new OciDescriptor { MediaType = blob.MediaType, Digest = blob.Digest, Size = blob.Size }, cancellationToken)
            .ConfigureAwait(false);
        await store.WriteAsync(blob.Digest, blob.Size, bytes, cancellationToken).ConfigureAwait(false);
        FsMetrics.ObserveOperation(FsMetrics.ZtocFetch, blob.Annotations![SociMediaTypes.LayerDigestAnnotation], Stopwatch.GetElapsedTime(started));
    }
}
