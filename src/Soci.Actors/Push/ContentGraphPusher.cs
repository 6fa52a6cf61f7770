using System.Collections.Concurrent;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Push;

/// <summary>
/// Copies a content graph from local content to a repository: a manifest's config, layers and subject, an index's
/// manifests, each before the node that refers to it, so the registry never holds a manifest whose blobs are
/// missing. A node the repository already has is skipped with everything below it. Uploads run concurrently up to
/// the given limit; a node shared by several parents (the empty config) is pushed once.
/// </summary>
public sealed class ContentGraphPusher
{
    private readonly IImageContent _content;
    private readonly RepositoryClient _repository;
    private readonly SemaphoreSlim _uploads;
    private readonly Action<GraphPushEvent, OciDescriptor> _observe;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _nodes = new();

    public ContentGraphPusher(IImageContent content, RepositoryClient repository, int maxConcurrentUploads, Action<GraphPushEvent, OciDescriptor> observe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentUploads, 1);
        _content = content;
        _repository = repository;
        _uploads = new SemaphoreSlim(maxConcurrentUploads);
        _observe = observe;
    }

    /// <summary>Pushes everything below <paramref name="root"/> that the repository lacks, then the root through
    /// <paramref name="pushRoot"/> (null: a plain manifest PUT by digest), which runs even when the root exists.</summary>
    public async Task PushAsync(OciDescriptor root, Func<OciDescriptor, byte[], CancellationToken, Task>? pushRoot, CancellationToken cancellationToken)
    {
        var bytes = await _content.ReadAsync(root.Digest, cancellationToken).ConfigureAwait(false);
        VerifySize(root, bytes);
        await Task.WhenAll(Successors(root, bytes).Select(child => PushOnceAsync(child, cancellationToken))).ConfigureAwait(false);
        await UploadAsync(root, async () =>
        {
            if (pushRoot is null)
            {
                await _repository.PushManifestAsync(root.Digest, root.MediaType, bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await pushRoot(root, bytes, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task PushOnceAsync(OciDescriptor node, CancellationToken cancellationToken) =>
        _nodes.GetOrAdd(node.Digest, _ => new Lazy<Task>(() => PushNodeAsync(node, cancellationToken))).Value;

    private async Task PushNodeAsync(OciDescriptor node, CancellationToken cancellationToken)
    {
        if (!IsManifest(node))
        {
            if (await _repository.BlobExistsAsync(node.Digest, cancellationToken).ConfigureAwait(false))
            {
                _observe(GraphPushEvent.Skipped, node);
                return;
            }

            await UploadAsync(node, async () =>
            {
                var blob = await _content.OpenAsync(node.Digest, cancellationToken).ConfigureAwait(false);
                await using (blob.ConfigureAwait(false))
                {
                    await _repository.PushBlobAsync(node, blob, null, cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await _repository.HeadManifestAsync(node.Digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            _observe(GraphPushEvent.Skipped, node);
            return;
        }

        var bytes = await _content.ReadAsync(node.Digest, cancellationToken).ConfigureAwait(false);
        VerifySize(node, bytes);
        await Task.WhenAll(Successors(node, bytes).Select(child => PushOnceAsync(child, cancellationToken))).ConfigureAwait(false);
        await UploadAsync(node, () => _repository.PushManifestAsync(node.Digest, node.MediaType, bytes, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadAsync(OciDescriptor node, Func<Task> upload, CancellationToken cancellationToken)
    {
        await _uploads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _observe(GraphPushEvent.Pushing, node);
            await upload().ConfigureAwait(false);
            _observe(GraphPushEvent.Pushed, node);
        }
        finally
        {
            _uploads.Release();
        }
    }

    private static bool IsManifest(OciDescriptor node) => OciMediaTypes.IsManifest(node.MediaType) || OciMediaTypes.IsIndex(node.MediaType);

    private static IEnumerable<OciDescriptor> Successors(OciDescriptor node, byte[] bytes)
    {
        if (OciMediaTypes.IsIndex(node.MediaType))
        {
            return OciJson.Parse<OciIndex>(bytes, $"index {node.Digest}").Manifests;
        }

        if (!OciMediaTypes.IsManifest(node.MediaType))
        {
            return [];
        }

        var manifest = OciJson.Parse<OciManifest>(bytes, $"manifest {node.Digest}");
        return manifest.Subject is null ? [manifest.Config, .. manifest.Layers] : [manifest.Config, .. manifest.Layers, manifest.Subject];
    }

    private static void VerifySize(OciDescriptor node, byte[] bytes)
    {
        if (ContentDigest.Of(bytes) != node.Digest || (node.Size > 0 && bytes.Length != node.Size))
        {
            throw new ContentVerificationException($"local content {node.Digest} does not match its descriptor (digest or size {node.Size})");
        }
    }
}
