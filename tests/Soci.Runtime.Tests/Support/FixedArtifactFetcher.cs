using Soci.Actors.Registry;
using Soci.Actors.Runtime.Contexts;

namespace Soci.Runtime.Tests.Support;

/// <summary>An artifact fetcher that answers with a context for local test layers, counting calls.</summary>
public sealed class FixedArtifactFetcher(IReadOnlyList<TestLayer> layers) : ISociArtifactFetcher
{
    public const string Reference = "127.0.0.1:1/runtime-test:latest";

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public TestImage Image { get; } = new(Reference, ContentDigest.Of("manifest"u8), null, layers);

    public Task<SociContext> FetchAsync(ImageSource image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var ztocs = layers.ToDictionary(layer => layer.Digest, layer => new ZtocReference(layer.Digest, layer.ZtocDigest, layer.ZtocBytes.Length, false));
        return Task.FromResult(new SociContext(image.Reference, Image.ManifestDigest, ContentDigest.Of("index"u8), ztocs));
    }
}
