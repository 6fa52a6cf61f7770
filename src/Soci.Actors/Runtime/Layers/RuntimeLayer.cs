using Soci.Actors.Layers;
using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Spans;

namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// A resolved layer as the runtime holds it: the layer filesystem and span manager, its blob, and whatever else
/// was created for it (the span cache directory). <see cref="DisposeAsync"/> releases all of it; the resolver
/// calls it once the layer is both evicted and unreferenced.
/// </summary>
public sealed class RuntimeLayer : IAsyncDisposable
{
    private readonly ResolvedLayer _layer;
    private readonly ILayerConnectivity _connectivity;
    private readonly IReadOnlyList<IDisposable> _owned;
    private int _disposed;

    public RuntimeLayer(LayerKey key, ResolvedLayer layer, ILayerConnectivity connectivity, long blobSize, params IDisposable[] owned)
    {
        Key = key;
        _layer = layer;
        _connectivity = connectivity;
        BlobSize = blobSize;
        _owned = owned;
    }

    public LayerKey Key { get; }

    public LayerFileSystem FileSystem => _layer.FileSystem;

    public SpanManager Spans => _layer.Spans;

    /// <summary>Compressed size of the layer blob.</summary>
    public long BlobSize { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public bool IsFullyFetched => Spans.ResolvedSpanCount == Spans.SpanCount;

    /// <summary>Checks the blob is still reachable (refreshing its source on failure); throws when it is not.</summary>
    public Task CheckAsync(CancellationToken cancellationToken) => _connectivity.CheckAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _layer.DisposeAsync().ConfigureAwait(false);
        foreach (var resource in _owned)
        {
            resource.Dispose();
        }
    }
}

/// <summary>How a layer checks that its blob can still be read (snapshotter.md §8).</summary>
public interface ILayerConnectivity
{
    Task CheckAsync(CancellationToken cancellationToken);
}
