using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Metadata;
using Soci.Actors.Layers.Spans;
using Soci.Formats.Toc;

namespace Soci.Actors.Layers;

/// <summary>
/// Everything needed to serve one layer lazily (snapshotter.md §7): its metadata tree, its span manager over the
/// remote blob and the FUSE filesystem presenting them. Disposing releases the layer's cached spans and the blob.
/// </summary>
public sealed class ResolvedLayer : IAsyncDisposable
{
    private readonly ILayerBlob _blob;
    private int _disposed;

    private ResolvedLayer(LayerMetadata metadata, SpanManager spans, LayerFileSystem fileSystem, ILayerBlob blob)
    {
        Metadata = metadata;
        Spans = spans;
        FileSystem = fileSystem;
        _blob = blob;
    }

    public LayerMetadata Metadata { get; }

    public SpanManager Spans { get; }

    public LayerFileSystem FileSystem { get; }

    /// <summary>
    /// Prepares the layer from the ztoc (metadata tree, span table) and resolves it. The ztoc is not kept, not even
    /// while the blob's gzip header is fetched.
    /// </summary>
    public static Task<ResolvedLayer> ResolveAsync(
        Ztoc ztoc, ILayerBlob blob, ISpanCache cache, LayerFileSystemOptions fileSystemOptions,
        SpanManagerOptions? spanOptions = null, CancellationToken cancellationToken = default)
    {
        PreparedLayer prepared;
        try
        {
            prepared = PreparedLayer.FromZtoc(ztoc);
        }
        catch (Exception error)
        {
            return Task.FromException<ResolvedLayer>(error);
        }
        return ResolveAsync(prepared, blob, cache, fileSystemOptions, spanOptions, cancellationToken);
    }

    /// <summary>Creates the span manager (which checks the blob's gzip header) and the filesystem of a prepared layer.</summary>
    public static Task<ResolvedLayer> ResolveAsync(
        PreparedLayer prepared, ILayerBlob blob, ISpanCache cache, LayerFileSystemOptions fileSystemOptions,
        SpanManagerOptions? spanOptions = null, CancellationToken cancellationToken = default)
    {
        var layerId = $"{fileSystemOptions.LayerDigest}-{Guid.NewGuid():N}";
        var spans = SpanManager.CreateAsync(layerId, prepared, blob, cache, spanOptions, cancellationToken);
        return CompleteAsync(prepared.Metadata, spans, blob, fileSystemOptions);
    }

    private static async Task<ResolvedLayer> CompleteAsync(
        LayerMetadata metadata, Task<SpanManager> creating, ILayerBlob blob, LayerFileSystemOptions fileSystemOptions)
    {
        var spans = await creating.ConfigureAwait(false);
        var state = new LayerState(fileSystemOptions.LayerDigest, blob.Size, () => spans.FetchedBytes);
        return new ResolvedLayer(metadata, spans, new LayerFileSystem(metadata, spans, state, fileSystemOptions), blob);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Spans.Release();
            (_blob as IDisposable)?.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
