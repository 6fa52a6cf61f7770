using Grpc.Core;
using Soci.Actors.Containerd;

namespace Soci.Actors.Conversion.Content;

/// <summary>
/// containerd's content store as image content. Writes go through the store's lease, so nothing is collected
/// before the image record (or the SOCI index's GC labels) reference it.
/// </summary>
public sealed class ContainerdImageContent : IImageContent
{
    private readonly ContainerdContentStore _store;

    public ContainerdImageContent(ContainerdContentStore store)
    {
        _store = store;
    }

    public async Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken) =>
        await _store.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.ReadAllAsync(digest, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerdException error) when (error.Status == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Copies the blob into an unlinked temporary file: the ztoc builder reads layers twice and seeks.</summary>
    public async Task<Stream> OpenAsync(string digest, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"soci-layer-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await _store.CopyToAsync(digest, file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch (ContainerdException error) when (error.Status == StatusCode.NotFound)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new ImageContentNotFoundException(error.Message, error);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> gcLabels, CancellationToken cancellationToken) =>
        _store.WriteAsync(digest, content, gcLabels, cancellationToken);
}
