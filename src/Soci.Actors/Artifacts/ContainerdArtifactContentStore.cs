using Containerd.Services.Content.V1;
using Grpc.Core;
using Soci.Actors.Containerd;

namespace Soci.Actors.Artifacts;

/// <summary>
/// The <c>containerd</c> content store type (formats §8.1): containerd's content store over its gRPC API, where
/// GC labels apply and deletion is real. Writes go under the lease the caller opened, if any.
/// </summary>
public sealed class ContainerdArtifactContentStore : IArtifactContentStore
{
    public const string KindName = "containerd";

    private readonly ContainerdConnection _connection;
    private readonly ContainerdContentStore _content;

    public ContainerdArtifactContentStore(ContainerdConnection connection, ContainerdLease? lease = null)
    {
        _connection = connection;
        _content = new ContainerdContentStore(connection, lease);
    }

    public string Kind => KindName;

    public async Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken) =>
        await _content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken) =>
        await ContainsAsync(digest, cancellationToken).ConfigureAwait(false)
            ? await _content.ReadAllAsync(digest, cancellationToken: cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>containerd streams blobs; a seekable copy goes to a temporary file deleted when the stream closes.</summary>
    public async Task<Stream?> TryOpenAsync(string digest, CancellationToken cancellationToken)
    {
        if (!await ContainsAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var copy = new FileStream(Path.Combine(Path.GetTempPath(), $"soci-blob-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await _content.CopyToAsync(digest, copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        _content.WriteAsync(digest, content, labels, cancellationToken);

    public async Task DeleteAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.Content.DeleteAsync(new DeleteContentRequest { Digest = digest }, _connection.Call(null, cancellationToken))
                .ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            // Already collected: nothing to delete.
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, $"delete content {digest}", _connection.SocketPath);
        }
    }

    public async Task<IReadOnlyList<(string Digest, long Size)>> ListAsync(CancellationToken cancellationToken) =>
        (await _content.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        .Select(info => (info.Digest, info.Size))
        .OrderBy(blob => blob.Digest, StringComparer.Ordinal)
        .ToList();
}
