namespace Soci.Formats.Index;

/// <summary>
/// What the index builder needs from its surroundings: the image's layer blobs, the store that keeps ztocs (and
/// remembers which layers already have one), and somewhere to report progress. The builder itself stays pure.
/// </summary>
public interface ISociIndexBuildContext
{
    /// <summary>Opens the layer blob as a seekable stream (the builder reads it twice: inflating, then span digests).</summary>
    Task<Stream> OpenLayerAsync(Descriptor layer, CancellationToken cancellationToken);

    /// <summary>A ztoc already built for this layer digest and span size whose bytes are still stored, or null.</summary>
    Task<StoredZtoc?> FindZtocAsync(Descriptor layer, long spanSize, CancellationToken cancellationToken);

    /// <summary>Keeps a newly built ztoc and records that it belongs to <paramref name="layer"/>.</summary>
    Task StoreZtocAsync(Descriptor layer, StoredZtoc ztoc, long spanSize, CancellationToken cancellationToken);

    /// <summary>One line of upstream's per-layer output (e.g. <c>layer sha256:… -> ztoc sha256:…</c>).</summary>
    void Report(string line);

    /// <summary>How far the build of one layer has got, in layer bytes read (two passes, so up to twice the size).</summary>
    void ReportProgress(Descriptor layer, long bytesRead, long bytesTotal);
}
