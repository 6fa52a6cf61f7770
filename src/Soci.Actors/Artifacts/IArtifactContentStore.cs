namespace Soci.Actors.Artifacts;

/// <summary>
/// Where SOCI artifacts (indexes, their <c>{}</c> config, ztocs) are kept (formats §8.1): the <c>soci</c> OCI layout
/// under the root, or containerd's content store.
/// </summary>
public interface IArtifactContentStore
{
    /// <summary><c>soci</c> or <c>containerd</c>, as <c>--content-store</c> names it.</summary>
    string Kind { get; }

    Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken);

    /// <summary>The whole blob, or null when the store does not have it.</summary>
    Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading (seekable), or null when the store does not have it.</summary>
    Task<Stream?> TryOpenAsync(string digest, CancellationToken cancellationToken);

    /// <summary>Stores a blob after verifying its digest; an existing blob is kept (labels are still applied).</summary>
    Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Deletes a blob where the store supports deletion (a no-op on the <c>soci</c> store, like upstream).</summary>
    Task DeleteAsync(string digest, CancellationToken cancellationToken);

    /// <summary>Every blob digest and size, for <c>rebuild-db</c>.</summary>
    Task<IReadOnlyList<(string Digest, long Size)>> ListAsync(CancellationToken cancellationToken);
}
