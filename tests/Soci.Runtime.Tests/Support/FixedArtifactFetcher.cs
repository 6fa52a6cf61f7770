using Soci.Actors.Registry;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Snapshotter;

namespace Soci.Runtime.Tests.Support;

/// <summary>
/// An artifact fetcher that answers with a context for local test layers, counting calls: the image's index has a
/// ztoc for every layer the mount's labels list (<c>cri.image-layers</c>), so labels naming one layer make a
/// single-layer image whose mounts pre-resolve nothing.
/// </summary>
public sealed class FixedArtifactFetcher(IReadOnlyList<TestLayer> layers) : ISociArtifactFetcher
{
    public const string Reference = "127.0.0.1:1/runtime-test:latest";

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public TestImage Image { get; } = new(Reference, ContentDigest.Of("manifest"u8), null, layers);

    /// <summary>Labels of <paramref name="layer"/> as the only layer of an image of its own.</summary>
    public Dictionary<string, string> SingleLayerImageLabels(TestLayer layer)
    {
        var labels = Image.LabelsFor(layer, $"127.0.0.1:1/runtime-single-{ContentDigest.Hex(layer.Digest)[..12]}:latest");
        labels[SnapshotLabels.ManifestDigest] = ContentDigest.Of(System.Text.Encoding.UTF8.GetBytes("manifest of " + layer.Digest));
        labels[SnapshotLabels.ImageLayers] = layer.Digest;
        return labels;
    }

    public Task<SociContext> FetchAsync(ImageSource image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var ztocs = layers.Where(layer => layer.Digest == image.LayerDigest || image.ImageLayers.Contains(layer.Digest))
            .ToDictionary(layer => layer.Digest, layer => new ZtocReference(layer.Digest, layer.ZtocDigest, layer.ZtocBytes.Length, false));
        return Task.FromResult(new SociContext(image.Reference, image.ManifestDigest, ContentDigest.Of("index"u8), ztocs));
    }
}
