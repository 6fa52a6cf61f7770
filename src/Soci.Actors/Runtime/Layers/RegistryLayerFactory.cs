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
/// Resolves a layer from the ztoc in the local content store and the blob in the registry (mirrors first): the
/// ztoc is parsed, the blob opened for range reads, a span cache created (memory, or a directory under
/// <c>&lt;root&gt;/fscache</c> that is deleted with the layer), and the metadata, span manager and filesystem built.
/// </summary>
public sealed class RegistryLayerFactory(RegistryClient registry, LocalContentStore store, string cacheRoot, RuntimeSettings settings) : ILayerFactory
{
    public async Task<RuntimeLayer> CreateAsync(LayerRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = await store.TryReadAsync(request.Ztoc.ZtocDigest, cancellationToken).ConfigureAwait(false)
                    ?? throw new IOException($"ztoc {request.Ztoc.ZtocDigest} of layer {request.Key.LayerDigest} is not in the local content store");
        var ztoc = ZtocParser.Parse(bytes);
        FsMetrics.ObserveOperation(FsMetrics.ZtocUnmarshal, request.Key.LayerDigest, Stopwatch.GetElapsedTime(started));

        var size = request.LayerSize > 0 ? request.LayerSize : ztoc.CompressedArchiveSize;
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
            var metadataStarted = Stopwatch.GetTimestamp();
            var layer = await ResolvedLayer.ResolveAsync(
                ztoc, remote, cache,
                new LayerFileSystemOptions { LayerDigest = request.Key.LayerDigest, DisableXattrs = request.Ztoc.DisableXattrs },
                new SpanManagerOptions { MaxSpanVerificationRetries = settings.MaxSpanVerificationRetries },
                cancellationToken).ConfigureAwait(false);
            FsMetrics.ObserveOperation(FsMetrics.InitMetadataStore, request.Key.LayerDigest, Stopwatch.GetElapsedTime(metadataStarted));
            return new RuntimeLayer(request.Key, layer, remote, blob.Size, cacheFiles);
        }
        catch
        {
            cacheFiles.Dispose();
            throw;
        }
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
