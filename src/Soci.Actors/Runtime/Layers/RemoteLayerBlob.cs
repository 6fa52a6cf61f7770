using Soci.Actors.Layers.Spans;
using Soci.Actors.Registry;

namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// The registry blob as the span manager reads it (exact ranges), and its connectivity check: a 1-byte range
/// read, and on failure one refresh of the blob's real URL (new mirror selection) before giving up.
/// </summary>
public sealed class RemoteLayerBlob(RemoteBlob blob) : ILayerBlob, ILayerConnectivity
{
    public long Size => blob.Size;

    public async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = await blob.ReadAsync(offset + total, destination[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"blob {blob.Digest} ends at {offset + total}, {destination.Length - total} bytes short");
            }

            total += read;
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        try
        {
            await blob.ReadAsync(0, probe, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            await blob.RefreshAsync(cancellationToken).ConfigureAwait(false);
            await blob.ReadAsync(0, probe, cancellationToken).ConfigureAwait(false);
        }
    }
}
