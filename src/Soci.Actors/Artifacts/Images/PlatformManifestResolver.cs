using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>
/// Finds the platform manifests of an image (algorithms §1 step 1): in an image index, the first child whose
/// platform matches; a single manifest is used as is (its platform read from its config).
/// </summary>
public static class PlatformManifestResolver
{
    /// <summary>
    /// The manifests for <paramref name="platforms"/>; every platform the image declares when
    /// <paramref name="allPlatforms"/>; the host platform when neither is given.
    /// </summary>
    public static async Task<IReadOnlyList<PlatformImage>> ResolveAsync(IImageSource image, IReadOnlyList<OciPlatform> platforms, bool allPlatforms,
        CancellationToken cancellationToken)
    {
        var target = image.Target;
        if (OciMediaTypes.IsManifest(target.MediaType))
        {
            return [await SingleManifestAsync(image, target, platforms, cancellationToken).ConfigureAwait(false)];
        }
        if (!OciMediaTypes.IsIndex(target.MediaType))
        {
            throw new ArtifactStoreException($"image {image.Name}: unsupported root media type {target.MediaType}");
        }
        var index = Parse<OciIndex>(await image.ReadBlobAsync(target.Digest, cancellationToken).ConfigureAwait(false), $"image index {target.Digest}");
        var children = index.Manifests.Where(child => OciMediaTypes.IsManifest(child.MediaType)).ToList();
        IReadOnlyList<OciPlatform> wanted = allPlatforms
            ? children.Where(c => c.Platform is { } p && p.Os != "unknown" && p.Architecture != "unknown").Select(c => c.Platform!).ToList()
            : platforms.Count > 0 ? platforms : [OciPlatform.Host];
        var result = new List<PlatformImage>();
        foreach (var platform in wanted)
        {
            if (children.Any(child => child.Platform is null))
            {
                throw new ArtifactStoreException("manifest should have proper platform");
            }
            var child = children.FirstOrDefault(c => platform.Matches(c.Platform!))
                        ?? throw new ArtifactStoreException($"image manifest for {platform}: not found");
            var manifest = Parse<OciManifest>(await image.ReadBlobAsync(child.Digest, cancellationToken).ConfigureAwait(false), $"image manifest {child.Digest}");
            result.Add(new PlatformImage(platform, child, manifest));
        }
        return result;
    }

    private static async Task<PlatformImage> SingleManifestAsync(IImageSource image, OciDescriptor target, IReadOnlyList<OciPlatform> platforms,
        CancellationToken cancellationToken)
    {
        var manifest = Parse<OciManifest>(await image.ReadBlobAsync(target.Digest, cancellationToken).ConfigureAwait(false), $"image manifest {target.Digest}");
        var platform = target.Platform ?? await ConfigPlatformAsync(image, manifest, cancellationToken).ConfigureAwait(false);
        var wanted = platforms.Count > 0 ? platforms : [platform];
        if (wanted.FirstOrDefault(p => !p.Matches(platform)) is { } missing)
        {
            throw new ArtifactStoreException($"image manifest for {missing}: not found");
        }
        return new PlatformImage(OciPlatform.Normalize(platform), target, manifest);
    }

    private static async Task<OciPlatform> ConfigPlatformAsync(IImageSource image, OciManifest manifest, CancellationToken cancellationToken)
    {
        var config = await image.ReadBlobAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            return OciPlatform.Normalize(new OciPlatform
            {
                Os = root.TryGetProperty("os", out var os) ? os.GetString() ?? "" : "",
                Architecture = root.TryGetProperty("architecture", out var arch) ? arch.GetString() ?? "" : "",
                Variant = root.TryGetProperty("variant", out var variant) ? variant.GetString() : null,
            });
        }
        catch (JsonException error)
        {
            throw new ArtifactStoreException($"image config {manifest.Config.Digest}: malformed JSON: {error.Message}", error);
        }
    }

    private static T Parse<T>(byte[] json, string what)
    {
        try
        {
            return OciJson.Parse<T>(json, what);
        }
        catch (RegistryException error)
        {
            throw new ArtifactStoreException(error.Message, error);
        }
    }
}
