using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Formats.Index;

namespace Soci.Actors.Conversion;

/// <summary>
/// The index builder's view of a conversion: layers are read from the image content, ztocs are written back to it,
/// and an existing ztoc is reused when the catalog names one whose bytes the store still has.
/// </summary>
public sealed class ConvertBuildContext : ISociIndexBuildContext
{
    private readonly IImageContent _content;
    private readonly ISociArtifactsCatalog? _catalog;
    private readonly Action<string> _report;

    public ConvertBuildContext(IImageContent content, ISociArtifactsCatalog? catalog, Action<string> report)
    {
        _content = content;
        _catalog = catalog;
        _report = report;
    }

    public Task<Stream> OpenLayerAsync(Descriptor layer, CancellationToken cancellationToken) => _content.OpenAsync(layer.Digest, cancellationToken);

    public async Task<StoredZtoc?> FindZtocAsync(Descriptor layer, long spanSize, CancellationToken cancellationToken)
    {
        if (_catalog is null || await _catalog.FindZtocAsync(layer.Digest, spanSize, cancellationToken).ConfigureAwait(false) is not { } digest)
        {
            return null;
        }

        var bytes = await _content.TryReadAsync(digest, cancellationToken).ConfigureAwait(false);
        return bytes is not null && ContentDigest.Of(bytes) == digest ? new StoredZtoc(digest, bytes) : null;
    }

    public async Task StoreZtocAsync(Descriptor layer, StoredZtoc ztoc, long spanSize, CancellationToken cancellationToken)
    {
        await _content.WriteAsync(ztoc.Digest, ztoc.Bytes, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        if (_catalog is not null)
        {
            await _catalog.RecordZtocAsync(layer.Digest, ztoc.Digest, ztoc.Bytes.Length, spanSize, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Report(string line) => _report(line);

    public void ReportProgress(Descriptor layer, long bytesRead, long bytesTotal)
    {
    }
}
