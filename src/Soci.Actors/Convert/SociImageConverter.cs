using System.Globalization;
using Soci.Actors.Containerd;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Actors.Conversion;

/// <summary>
/// <c>soci convert</c> (cli.md §3, formats §5.5): builds a v2 SOCI index per requested platform of an image held in
/// <see cref="IImageContent"/>, binds the indexes to annotated manifests in a new OCI index, and writes every new
/// blob back with containerd's GC reference labels. A platform whose layers all get skipped is left out; if no
/// platform gets an index, that error is the result.
/// </summary>
public sealed class SociImageConverter
{
    private const string NoZtocs = "no ztocs created, all layers either skipped or produced errors";

    private readonly IImageContent _content;
    private readonly ISociArtifactsCatalog? _catalog;
    private readonly Action<string> _report;

    public SociImageConverter(IImageContent content, ISociArtifactsCatalog? catalog, Action<string> report)
    {
        _content = content;
        _catalog = catalog;
        _report = report;
    }

    /// <param name="root">The source image's target descriptor (index, manifest list or manifest).</param>
    public async Task<ConversionResult> ConvertAsync(OciDescriptor root, ConvertOptions options, CancellationToken cancellationToken)
    {
        var rootBytes = await _content.TryReadAsync(root.Digest, cancellationToken).ConfigureAwait(false)
                        ?? throw new ConvertException($"image {root.Digest}: not found in the content store");
        var (targets, rootPlatform) = await SelectTargetsAsync(root, rootBytes, options, cancellationToken).ConfigureAwait(false);

        var built = new List<BuiltSociIndex>();
        SociIndexBuildException? lastSkip = null;
        foreach (var (manifest, platform) in targets)
        {
            try
            {
                built.Add(await BuildAsync(manifest, platform, options, cancellationToken).ConfigureAwait(false));
            }
            catch (SociIndexBuildException error) when (error.Message == NoZtocs)
            {
                lastSkip = error;
            }
        }

        if (built.Count == 0)
        {
            throw lastSkip ?? new SociIndexBuildException(NoZtocs);
        }

        var image = await new SociImageBinder(_content).BindAsync(root, rootBytes, rootPlatform, built, cancellationToken).ConfigureAwait(false);
        foreach (var manifest in image.Manifests)
        {
            await _content.WriteAsync(manifest.Descriptor.Digest, manifest.Bytes, ManifestLabels(manifest.Manifest), cancellationToken).ConfigureAwait(false);
        }

        await _content.WriteAsync(image.Index.Digest, image.IndexBytes, IndexLabels(image.IndexBytes), cancellationToken).ConfigureAwait(false);
        if (_catalog is not null)
        {
            foreach (var binding in image.Bindings)
            {
                var record = new SociIndexRecord(binding.SociIndex.Digest, binding.SociIndex.Size, binding.AnnotatedManifest.Digest, image.Index.Digest,
                    ConvertPlatforms.Format(binding.Platform), SociMediaTypes.IndexV2);
                await _catalog.RecordIndexAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }

        return new ConversionResult(image.Index, image.Bindings);
    }

    private async Task<(List<(OciDescriptor Manifest, OciPlatform Platform)> Targets, OciPlatform? RootPlatform)> SelectTargetsAsync(
        OciDescriptor root, byte[] rootBytes, ConvertOptions options, CancellationToken cancellationToken)
    {
        var targets = new List<(OciDescriptor Manifest, OciPlatform Platform)>();
        OciPlatform? rootPlatform = null;
        if (OciMediaTypes.IsIndex(root.MediaType))
        {
            var index = OciJson.Parse<OciIndex>(rootBytes, $"image index {root.Digest}");
            if (options.AllPlatforms)
            {
                targets.AddRange(RepositoryClient.PlatformManifests(index).Select(entry => (entry, entry.Platform!)));
            }
            else
            {
                foreach (var platform in options.Platforms.Count > 0 ? options.Platforms : [options.HostPlatform])
                {
                    var entry = RepositoryClient.SelectPlatform(index, platform)
                                ?? throw new ConvertException($"image manifest for {platform}: not found");
                    targets.Add((entry, platform));
                }
            }
        }
        else if (OciMediaTypes.IsManifest(root.MediaType))
        {
            var manifest = OciJson.Parse<OciManifest>(rootBytes, $"manifest {root.Digest}");
            var config = await _content.TryReadAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false)
                         ?? throw new ConvertException($"image config {manifest.Config.Digest}: not found");
            rootPlatform = ConvertPlatforms.FromConfig(config, manifest.Config.Digest);
            if (options.AllPlatforms || options.Platforms.Count == 0)
            {
                targets.Add((root, rootPlatform));
            }
            else
            {
                foreach (var platform in options.Platforms)
                {
                    targets.Add(platform.Matches(rootPlatform) ? (root, platform) : throw new ConvertException($"image manifest for {platform}: not found"));
                }
            }
        }
        else
        {
            throw new ConvertException($"image {root.Digest}: unsupported media type {root.MediaType}");
        }

        var distinct = targets.DistinctBy(target => OciPlatform.Normalize(target.Platform).ToString()).ToList();
        return (distinct, rootPlatform);
    }

    private async Task<BuiltSociIndex> BuildAsync(OciDescriptor manifestDescriptor, OciPlatform platform, ConvertOptions options, CancellationToken cancellationToken)
    {
        var bytes = await _content.TryReadAsync(manifestDescriptor.Digest, cancellationToken).ConfigureAwait(false)
                    ?? throw new ConvertException($"image manifest {manifestDescriptor.Digest} for {platform}: not found");
        var manifest = OciJson.Parse<OciManifest>(bytes, $"manifest {manifestDescriptor.Digest}");
        var builder = new SociIndexBuilder(options.Build with { ArtifactType = SociMediaTypes.IndexV2 }, new ConvertBuildContext(_content, _catalog, _report));
        var result = await builder.BuildAsync(ToFormats(manifestDescriptor), manifest.Layers.Select(ToFormats).ToList(), cancellationToken).ConfigureAwait(false);

        await _content.WriteAsync(SociMediaTypes.EmptyConfigDigest, SociMediaTypes.EmptyConfig.ToArray(), new Dictionary<string, string>(), cancellationToken)
            .ConfigureAwait(false);
        await _content.WriteAsync(result.Digest, result.Bytes, SociIndexLabels(result.Index), cancellationToken).ConfigureAwait(false);
        return new BuiltSociIndex(manifestDescriptor, platform, result);
    }

    private static Descriptor ToFormats(OciDescriptor descriptor) => new()
    {
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        Annotations = descriptor.Annotations,
    };

    private static Dictionary<string, string> SociIndexLabels(SociIndex index)
    {
        var labels = new Dictionary<string, string> { [ContainerdLabels.GcRefContentConfig] = SociMediaTypes.EmptyConfigDigest };
        for (var i = 0; i < index.Blobs.Count; i++)
        {
            labels[$"containerd.io/gc.ref.content.ztoc.{i.ToString(CultureInfo.InvariantCulture)}"] = index.Blobs[i].Digest;
        }

        return labels;
    }

    private static Dictionary<string, string> ManifestLabels(OciManifest manifest)
    {
        var labels = new Dictionary<string, string> { [ContainerdLabels.GcRefContentConfig] = manifest.Config.Digest };
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            labels[$"containerd.io/gc.ref.content.l.{i.ToString(CultureInfo.InvariantCulture)}"] = manifest.Layers[i].Digest;
        }

        return labels;
    }

    private static Dictionary<string, string> IndexLabels(byte[] indexBytes)
    {
        var index = OciJson.Parse<OciIndex>(indexBytes, "converted image index");
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < index.Manifests.Count; i++)
        {
            labels[ContainerdLabels.GcRefContentManifest(i)] = index.Manifests[i].Digest;
        }

        return labels;
    }
}
