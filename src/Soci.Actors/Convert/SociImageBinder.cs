using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Actors.Conversion;

/// <summary>
/// Binds v2 SOCI indexes to their image (formats §5.5): every locally present platform manifest is re-serialized as
/// an OCI manifest (config typed as an OCI config), the ones that got an index are annotated with
/// <c>com.amazon.soci.index-digest</c>, and each SOCI index is listed in the OCI index next to its manifest,
/// replacing the entry a previous conversion left for the same platform. Because the v2 index has no subject, its
/// digest does not depend on the annotated manifest, and converting again yields the same bytes.
/// </summary>
public sealed class SociImageBinder
{
    private readonly IImageContent _content;

    public SociImageBinder(IImageContent content)
    {
        _content = content;
    }

    /// <param name="root">The source image's target: an index / manifest list, or a single manifest.</param>
    /// <param name="rootPlatform">For a single-manifest source: its platform from the image config.</param>
    public async Task<BoundImage> BindAsync(OciDescriptor root, byte[] rootBytes, OciPlatform? rootPlatform,
        IReadOnlyList<BuiltSociIndex> built, CancellationToken cancellationToken)
    {
        var source = OciMediaTypes.IsIndex(root.MediaType)
            ? OciJson.Parse<OciIndex>(rootBytes, $"image index {root.Digest}")
            : new OciIndex { Manifests = [root with { Platform = rootPlatform, Annotations = null, Urls = null }] };
        var indexFor = built.ToDictionary(entry => entry.ImageManifest.Digest);

        var entries = new List<OciDescriptor>();
        var rewritten = new List<RewrittenManifest>();
        var annotatedFor = new Dictionary<string, OciDescriptor>();
        foreach (var entry in source.Manifests)
        {
            var bytes = ConvertPlatforms.IsImageManifest(entry) ? await _content.TryReadAsync(entry.Digest, cancellationToken).ConfigureAwait(false) : null;
            if (bytes is null)
            {
                // Stale SOCI entries are replaced below; manifests of platforms not pulled locally stay as they are.
                entries.Add(entry);
                continue;
            }

            var manifest = Rewrite(OciJson.Parse<OciManifest>(bytes, $"manifest {entry.Digest}"), indexFor.GetValueOrDefault(entry.Digest));
            var manifestBytes = OciJson.Write(manifest);
            var descriptor = new OciDescriptor
            {
                MediaType = OciMediaTypes.ImageManifest,
                Digest = ContentDigest.Of(manifestBytes),
                Size = manifestBytes.Length,
                Annotations = manifest.Annotations,
                Platform = entry.Platform,
            };
            entries.Add(descriptor);
            rewritten.Add(new RewrittenManifest(descriptor, manifestBytes, manifest));
            annotatedFor[entry.Digest] = descriptor;
        }

        var bindings = new List<SociIndexBinding>();
        foreach (var index in built)
        {
            var manifest = annotatedFor.GetValueOrDefault(index.ImageManifest.Digest)
                           ?? throw new ConvertException($"image manifest {index.ImageManifest.Digest} for {index.Platform}: not found");
            var descriptor = new OciDescriptor
            {
                MediaType = OciMediaTypes.ImageManifest,
                Digest = index.Index.Digest,
                Size = index.Index.Bytes.Length,
                Annotations = new Dictionary<string, string> { [SociMediaTypes.ImageManifestDigestAnnotation] = manifest.Digest },
                Platform = index.Platform,
                ArtifactType = SociMediaTypes.IndexV2,
            };
            var stale = entries.FindIndex(entry => entry.ArtifactType == SociMediaTypes.IndexV2 && entry.Platform is { } platform &&
                                                   ConvertPlatforms.StrictlyEqual(platform, index.Platform));
            if (stale >= 0)
            {
                entries[stale] = descriptor;
            }
            else
            {
                entries.Add(descriptor);
            }

            bindings.Add(new SociIndexBinding(descriptor, manifest, index.Platform));
        }

        var result = source with { SchemaVersion = 2, MediaType = OciMediaTypes.ImageIndex, Manifests = entries };
        var resultBytes = OciJson.Write(result);
        var resultDescriptor = new OciDescriptor { MediaType = OciMediaTypes.ImageIndex, Digest = ContentDigest.Of(resultBytes), Size = resultBytes.Length };
        return new BoundImage(resultDescriptor, resultBytes, rewritten, bindings);
    }

    private static OciManifest Rewrite(OciManifest manifest, BuiltSociIndex? index)
    {
        var annotations = manifest.Annotations is null ? new Dictionary<string, string>() : new Dictionary<string, string>(manifest.Annotations);
        if (index is not null)
        {
            annotations[SociMediaTypes.IndexDigestAnnotation] = index.Index.Digest;
        }

        return manifest with
        {
            SchemaVersion = 2,
            MediaType = OciMediaTypes.ImageManifest,
            Config = manifest.Config with { MediaType = OciMediaTypes.ImageConfig },
            Annotations = annotations.Count > 0 ? annotations : null,
        };
    }
}
