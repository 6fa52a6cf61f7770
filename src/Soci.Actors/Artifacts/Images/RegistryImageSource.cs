using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>
/// An image in a registry repository: manifests and configs are fetched whole (digest-verified); a layer is
/// downloaded into an unlinked temporary file, because the ztoc builder reads it twice and seeks.
/// </summary>
public sealed class RegistryImageSource : IImageSource
{
    private readonly RepositoryClient _repository;
    private readonly string _temporaryDirectory;

    /// <summary>Digests known to name manifests or indexes (fetched from the manifest endpoint, not the blob one).</summary>
    private readonly HashSet<string> _manifests = new(StringComparer.Ordinal);

    /// <summary>Config descriptors of the manifests read so far: a blob fetch needs the size to verify against.</summary>
    private readonly Dictionary<string, OciDescriptor> _configs = new(StringComparer.Ordinal);

    private RegistryImageSource(RepositoryClient repository, string name, FetchedManifest root, string temporaryDirectory)
    {
        _repository = repository;
        _temporaryDirectory = temporaryDirectory;
        Name = name;
        Target = root.Descriptor;
        Remember(root.Descriptor, root.Bytes);
    }

    public string Name { get; }

    public OciDescriptor Target { get; }

    /// <summary>Resolves <paramref name="reference"/> (tag or digest) to its root manifest or index.</summary>
    /// <exception cref="RegistryException">The registry does not have it or cannot be reached.</exception>
    public static async Task<RegistryImageSource> OpenAsync(RegistryClient client, ImageReference reference, string? temporaryDirectory,
        CancellationToken cancellationToken)
    {
        var repository = client.Repository(reference);
        var root = await repository.GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        return new RegistryImageSource(repository, reference.ToString(), root, temporaryDirectory ?? Path.GetTempPath());
    }

    public async Task<byte[]> ReadBlobAsync(string digest, CancellationToken cancellationToken)
    {
        if (_manifests.Contains(digest))
        {
            var manifest = await _repository.GetManifestAsync(digest, cancellationToken).ConfigureAwait(false);
            Remember(manifest.Descriptor, manifest.Bytes);
            return manifest.Bytes;
        }

        var config = _configs.GetValueOrDefault(digest)
                     ?? throw new ArtifactStoreException($"blob {digest} of image {Name}: not referenced by a manifest read so far");
        return await _repository.GetBlobAsync(config, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_temporaryDirectory, $"soci-layer-{Guid.NewGuid():N}");
        await _repository.DownloadBlobAsync(blob, path, null, cancellationToken).ConfigureAwait(false);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
    }

    public void Dispose()
    {
    }

    /// <summary>An index's children are manifests (read from the manifest endpoint); a manifest's config is a blob of known size.</summary>
    private void Remember(OciDescriptor descriptor, byte[] bytes)
    {
        _manifests.Add(descriptor.Digest);
        if (OciMediaTypes.IsIndex(descriptor.MediaType))
        {
            foreach (var child in OciJson.Parse<OciIndex>(bytes, $"index {descriptor.Digest}").Manifests)
            {
                _manifests.Add(child.Digest);
            }
        }
        else if (OciMediaTypes.IsManifest(descriptor.MediaType))
        {
            var config = OciJson.Parse<OciManifest>(bytes, $"manifest {descriptor.Digest}").Config;
            _configs[config.Digest] = config;
        }
    }
}
