using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>An image available locally: its root descriptor (manifest or image index) and its blobs.</summary>
public interface IImageSource : IDisposable
{
    /// <summary>How the user named the image, for messages.</summary>
    string Name { get; }

    /// <summary>The image's root: a platform manifest or an image index / manifest list.</summary>
    OciDescriptor Target { get; }

    /// <summary>A small blob (manifest, index, config) whole.</summary>
    Task<byte[]> ReadBlobAsync(string digest, CancellationToken cancellationToken);

    /// <summary>A layer blob as a seekable stream.</summary>
    Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken);
}
