using System.Diagnostics;
using Soci.Actors.Layers;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Spans;
using Soci.Actors.Registry;
using Soci.Actors.Runtime.Content;
using Soci.Actors.Runtime.Metrics;
using Soci.Formats.Toc;

namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// Resolves a layer from its prepared form (stored, or prepared from the ztoc in the local content store) and the
/// blob in the registry (mirrors first): the blob is opened for range reads, a span cache created (memory, or a
/// directory under <c>&lt;root&gt;/fscache</c> that is deleted with the layer), and the span manager and filesystem built.
/// </summary>
public sealed class RegistryLayerFactory(
    RegistryClient registry, LocalContentStore store, PreparedLayerStore preparedLayers, string cacheRoot, RuntimeSettings settings) : ILayerFactory
{
    public async Task<RuntimeLayer> CreateAsync(LayerRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = await preparedLayers.GetOrPrepareAsync(request.Ztoc.ZtocDigest, cancellation => LoadZtocAsync(request, cancellation), cancellationToken)
            .ConfigureAwait(false);
        FsMetrics.ObserveOperation(FsMetrics.InitMetadataStore, request.Key.LayerDigest, Stopwatch.GetElapsedTime(started));

        var size = request.LayerSize > 0 ? request.LayerSize : prepared.CompressedSize;
        var reference = ImageReference.Parse(request.Key.Reference);
        var blob = await registry.Repository(reference).OpenBlobAsync(request.Key.LayerDigest, size, cancellationToken).ConfigureAwait(false);
        var remote = new RemoteLayerBlob(blob);

        var cacheDirectory = Path.Combine(cacheRoot, Guid.NewGuid().ToString("N"));
        ISpanCache cache = settings.MemorySpanCache
            ? new MemorySpanCache(settings.SpanCacheCapacityBytes)
            : new DiskSpanCache(cacheDirectory, settings.SpanCacheCapacityBytes);
        var cacheFiles = new DirectoryRemoval(cacheDirectory);
        try
        {
            var layer = await ResolvedLayer.ResolveAsync(
                prepared, remote, cache,
                new LayerFileSystemOptions { LayerDigest = request.Key.LayerDigest, DisableXattrs = request.Ztoc.DisableXattrs },
                new SpanManagerOptions { MaxSpanVerificationRetries = settings.MaxSpanVerificationRetries },
                cancellationToken).ConfigureAwait(false);
            return new RuntimeLayer(request.Key, layer, remote, blob.Size, cacheFiles);
        }
        catch
        {
            cacheFiles.Dispose();
            throw;
        }
    }

    private async Task<Ztoc> LoadZtocAsync(LayerRequest request, CancellationToken cancellationToken)
    {
        var bytes = await store.TryReadAsync(request.Ztoc.ZtocDigest, cancellationToken).ConfigureAwait(false)
                    ?? throw new IOException($"ztoc {request.Ztoc.ZtocDigest} of layer {request.Key.LayerDigest} is not in the local content store");
        var started = Stopwatch.GetTimestamp();
        var ztoc = ZtocParser.Parse(bytes);
        FsMetrics.ObserveOperation(FsMetrics.ZtocUnmarshal, request.Key.LayerDigest, Stopwatch.GetElapsedTime(started));
        return ztoc;
    }
}

/// <summary>Deletes a directory (a layer's span cache) when the layer is released.</summary>
public sealed class DirectoryRemoval(string directory) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
