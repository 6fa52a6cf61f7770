using Soci.Actors.Layers;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Spans;
using Soci.Actors.Runtime.Layers;

namespace Soci.Runtime.Tests.Support;

/// <summary>
/// Resolves test layers from local files instead of a registry (each with a directory span cache that is
/// deleted with the layer), optionally through a blob wrapper that misbehaves; counts what it created.
/// </summary>
public sealed class LocalLayerFactory(string directory, IReadOnlyList<TestLayer> layers, Func<ILayerBlob, ILayerBlob>? wrapBlob = null) : ILayerFactory
{
    private int _created;

    public int Created => Volatile.Read(ref _created);

    public string CacheRoot { get; } = Path.Combine(directory, "fscache");

    public async Task<RuntimeLayer> CreateAsync(LayerRequest request, CancellationToken cancellationToken)
    {
        var layer = layers.Single(candidate => candidate.Digest == request.Key.LayerDigest);
        var file = new FileLayerBlob(layer.WriteTo(directory));
        var blob = wrapBlob is null ? file : wrapBlob(file);
        var cacheDirectory = Path.Combine(CacheRoot, Guid.NewGuid().ToString("N"));
        var resolved = await ResolvedLayer.ResolveAsync(
            layer.Ztoc, blob, new DiskSpanCache(cacheDirectory, 1L << 30), new LayerFileSystemOptions { LayerDigest = layer.Digest },
            cancellationToken: cancellationToken);
        Interlocked.Increment(ref _created);
        return new RuntimeLayer(request.Key, resolved, AlwaysReachable.Instance, layer.Blob.Length, file, new DirectoryRemoval(cacheDirectory));
    }

    private sealed class AlwaysReachable : ILayerConnectivity
    {
        public static AlwaysReachable Instance { get; } = new();

        public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
