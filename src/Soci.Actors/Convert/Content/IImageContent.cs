namespace Soci.Actors.Conversion.Content;

/// <summary>
/// The local blobs an image is read from and its SOCI artifacts are written to: containerd's content store, or an
/// OCI image layout directory (standalone conversion). Writes carry containerd GC reference labels, which stores
/// without garbage collection ignore.
/// </summary>
public interface IImageContent
{
    /// <summary>Whether the store has the blob.</summary>
    Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken);

    /// <summary>A small blob (manifest, index, config, ztoc) whole, or null when the store does not have it.</summary>
    Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken);

    /// <summary>A seekable stream over a blob of any size (layers); the caller disposes it.</summary>
    /// <exception cref="ImageContentNotFoundException">The store does not have the blob.</exception>
    Task<Stream> OpenAsync(string digest, CancellationToken cancellationToken);

    /// <summary>Stores a blob (a no-op when it is already there) with the given GC reference labels.</summary>
    Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> gcLabels, CancellationToken cancellationToken);
}
