using Soci.Actors.Containerd;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>An image record in containerd's image store, with its blobs read from containerd's content store.</summary>
public sealed class ContainerdImageSource : IImageSource
{
    private readonly ContainerdArtifactContentStore _content;

    private ContainerdImageSource(ContainerdConnection connection, ContainerdImage image)
    {
        _content = new ContainerdArtifactContentStore(connection);
        Name = image.Name;
        Target = new OciDescriptor { MediaType = image.MediaType, Digest = image.Digest, Size = image.Size };
    }

    public string Name { get; }

    public OciDescriptor Target { get; }

    /// <summary>The image named <paramref name="name"/>, or null when containerd has no such image.</summary>
    public static async Task<ContainerdImageSource?> TryOpenAsync(ContainerdConnection connection, string name, CancellationToken cancellationToken)
    {
        var image = await new ContainerdImageStore(connection).GetAsync(name, cancellationToken).ConfigureAwait(false);
        return image is null ? null : new ContainerdImageSource(connection, image);
    }

    public async Task<byte[]> ReadBlobAsync(string digest, CancellationToken cancellationToken) =>
        await _content.TryReadAsync(digest, cancellationToken).ConfigureAwait(false)
        ?? throw new ArtifactStoreException($"blob {digest} of image {Name}: not found in containerd's content store");

    public async Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken) =>
        await _content.TryOpenAsync(blob.Digest, cancellationToken).ConfigureAwait(false)
        ?? throw new ArtifactStoreException($"blob {blob.Digest} of image {Name}: not found in containerd's content store");

    public void Dispose()
    {
    }
}
