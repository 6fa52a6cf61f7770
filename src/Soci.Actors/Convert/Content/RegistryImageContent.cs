using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Conversion.Content;

/// <summary>
/// An image in a registry repository as image content, fetched on demand into a local OCI layout: what a
/// conversion reads (the root, platform manifests, configs, layers) is downloaded once, verified, and kept; what
/// it writes (ztocs, indexes, annotated manifests) stays local. Only content reachable from the root resolved so
/// far can be fetched, because the registry serves manifests and blobs at different endpoints and a blob's size
/// is needed to verify it.
/// </summary>
public sealed class RegistryImageContent : IImageContent
{
    private readonly RepositoryClient _repository;
    private readonly OciLayoutContent _local;
    private readonly Dictionary<string, OciDescriptor> _manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OciDescriptor> _blobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private RegistryImageContent(RepositoryClient repository, OciLayoutContent local)
    {
        _repository = repository;
        _local = local;
    }

    /// <summary>Resolves <paramref name="reference"/> and keeps its root in <paramref name="cache"/>; returns the root descriptor.</summary>
    public static async Task<(RegistryImageContent Content, OciDescriptor Root)> OpenAsync(RepositoryClient repository, string reference,
        OciLayoutContent cache, CancellationToken cancellationToken)
    {
        var content = new RegistryImageContent(repository, cache);
        var root = await repository.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        await content.KeepAsync(root.Descriptor, root.Bytes, cancellationToken).ConfigureAwait(false);
        return (content, root.Descriptor);
    }

    public async Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken) =>
        await _local.ContainsAsync(digest, cancellationToken).ConfigureAwait(false) || Known(digest) is not null;

    public async Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken)
    {
        if (await _local.TryReadAsync(digest, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }

        switch (Known(digest))
        {
            case ({ } manifest, true):
                var fetched = await _repository.GetManifestAsync(manifest.Digest, cancellationToken).ConfigureAwait(false);
                await KeepAsync(fetched.Descriptor, fetched.Bytes, cancellationToken).ConfigureAwait(false);
                return fetched.Bytes;
            case ({ } blob, false):
                var bytes = await _repository.GetBlobAsync(blob, cancellationToken).ConfigureAwait(false);
                await _local.WriteAsync(digest, bytes, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
                return bytes;
            default:
                return null;
        }
    }

    public async Task<Stream> OpenAsync(string digest, CancellationToken cancellationToken)
    {
        if (!await _local.ContainsAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (Known(digest) is not ({ } blob, false))
            {
                // Manifests are small: read (and keep) them whole.
                _ = await TryReadAsync(digest, cancellationToken).ConfigureAwait(false)
                    ?? throw new ImageContentNotFoundException($"content {digest}: not found in {_repository.Domain}/{_repository.Repository}");
                return await _local.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
            }

            var target = _local.PathOf(digest);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
            await _repository.DownloadBlobAsync(blob, temporary, null, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, target, overwrite: true);
        }

        return await _local.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> gcLabels, CancellationToken cancellationToken) =>
        _local.WriteAsync(digest, content, gcLabels, cancellationToken);

    /// <summary>Keeps a fetched manifest or index locally and learns the descriptors it refers to.</summary>
    private async Task KeepAsync(OciDescriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
    {
        await _local.WriteAsync(descriptor.Digest, bytes, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _manifests[descriptor.Digest] = descriptor;
            if (OciMediaTypes.IsIndex(descriptor.MediaType))
            {
                foreach (var child in OciJson.Parse<OciIndex>(bytes, $"index {descriptor.Digest}").Manifests)
                {
                    _manifests.TryAdd(child.Digest, child);
                }
            }
            else if (OciMediaTypes.IsManifest(descriptor.MediaType))
            {
                var manifest = OciJson.Parse<OciManifest>(bytes, $"manifest {descriptor.Digest}");
                foreach (var blob in manifest.Layers.Prepend(manifest.Config))
                {
                    _blobs.TryAdd(blob.Digest, blob);
                }
            }
        }
    }

    /// <summary>What the registry is known to have under this digest, and whether it is a manifest.</summary>
    private (OciDescriptor Descriptor, bool IsManifest)? Known(string digest)
    {
        lock (_lock)
        {
            return _manifests.TryGetValue(digest, out var manifest) ? (manifest, true)
                : _blobs.TryGetValue(digest, out var blob) ? (blob, false)
                : null;
        }
    }
}
