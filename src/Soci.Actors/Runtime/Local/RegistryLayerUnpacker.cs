using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Snapshotter.Remote;
using Soci.Actors.Unpack;

namespace Soci.Actors.Runtime.Local;

/// <summary>
/// The snapshotter's local preparation (algorithms §12): downloads a layer the runtime will not mount lazily
/// (a sparse index's small layer, or one whose lazy mount failed) and unpacks it into the snapshot's upper
/// directory. The blob goes to a temporary file under <c>&lt;root&gt;/unpack</c> (verified by size and digest while
/// streaming) and is deleted afterwards; any failure throws, and the snapshotter then defers the layer to containerd.
/// </summary>
public sealed class RegistryLayerUnpacker(RegistryClient registry, string scratchDirectory)
{
    public async Task UnpackAsync(string destination, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        var image = ImageSource.FromLabels(labels);
        Directory.CreateDirectory(scratchDirectory);
        var blobPath = Path.Combine(scratchDirectory, $"{ContentDigest.Hex(image.LayerDigest)}-{Guid.NewGuid():N}");
        try
        {
            var repository = registry.Repository(ImageReference.Parse(image.Reference));
            var size = image.LayerSize;
            if (size <= 0)
            {
                // The labels did not carry the size: the blob's own answer gives it (the digest check still applies).
                size = (await repository.OpenBlobAsync(image.LayerDigest, 0, cancellation).ConfigureAwait(false)).Size;
            }

            var descriptor = new OciDescriptor { Digest = image.LayerDigest, Size = size };
            await repository.DownloadBlobAsync(descriptor, blobPath, progress: null, cancellation).ConfigureAwait(false);
            await LocalLayerUnpacker.UnpackAsync(blobPath, destination, new LocalUnpackOptions { BlobDigest = image.LayerDigest }, cancellation)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is RegistryException or LayerUnpackException or IOException)
        {
            throw new RemoteMountException(RemoteMountFailure.Failed, $"local unpack of layer {image.LayerDigest} failed: {error.Message}", error);
        }
        finally
        {
            File.Delete(blobPath);
        }
    }
}
