using System.Buffers;
using System.Security.Cryptography;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>Checks that fetched content is exactly what its descriptor names: its size, then its sha256 digest.</summary>
public static class BlobVerifier
{
    public static void Verify(ReadOnlySpan<byte> content, OciDescriptor descriptor, OperationTarget target)
    {
        if (descriptor.Size > 0 && content.Length != descriptor.Size)
        {
            throw new ContentVerificationException($"{target}: received {content.Length} bytes, expected {descriptor.Size}");
        }

        var digest = ContentDigest.Of(content);
        if (digest != descriptor.Digest)
        {
            throw new ContentVerificationException($"{target}: received content with digest {digest}, expected {descriptor.Digest}");
        }
    }

    public static async Task CopyVerifiedAsync(Stream source, Stream destination, OciDescriptor descriptor, OperationTarget target,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (descriptor.Size > 0 && total > descriptor.Size)
                {
                    throw new ContentVerificationException($"{target}: received more than the {descriptor.Size} bytes expected");
                }

                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress?.Report(total);
            }

            if (descriptor.Size > 0 && total != descriptor.Size)
            {
                throw new ContentVerificationException($"{target}: received {total} bytes, expected {descriptor.Size}");
            }

            var digest = ContentDigest.Sha256Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
            if (digest != descriptor.Digest)
            {
                throw new ContentVerificationException($"{target}: received content with digest {digest}, expected {descriptor.Digest}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
