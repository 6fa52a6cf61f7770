using Containerd.Services.Diff.V1;
using Containerd.Services.Snapshots.V1;
using Grpc.Core;
using Soci.Actors.Containerd;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using ContainerdDescriptor = Containerd.Types.OciDescriptor;

namespace Soci.Actors.Pull;

/// <summary>
/// Pulls an image into containerd for a remote snapshotter, the way a SOCI-aware client does (feasibility §5):
/// under a lease it stores the image's index, manifest and config with the gc.ref labels that keep the chain
/// image → manifest → config → top snapshot alive; asks the snapshotter to Prepare each layer with the remote-snapshot
/// labels, bottom up; a layer the snapshotter reports as already existing stays remote, any other is downloaded,
/// applied by containerd's diff service into the returned mounts, checked against its diffID and committed. Then
/// the image record is created and the lease dropped, so nothing but the image's own chain stays alive.
/// </summary>
public sealed class ImagePuller
{
    private readonly ContainerdConnection _containerd;
    private readonly RegistryClient _registry;

    public ImagePuller(ContainerdConnection containerd, RegistryClient registry)
    {
        _containerd = containerd;
        _registry = registry;
    }

    public async Task<ImagePullResult> PullAsync(string reference, ImagePullOptions options, IProgress<PullProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var image = ParseReference(reference);
        var imageName = image.ToString();
        progress?.Report(new PullProgress(imageName, PullStage.Resolving));
        var repository = _registry.Repository(image);
        var resolved = await repository.ResolveAsync(image.ManifestReference, options.Platform, cancellationToken).ConfigureAwait(false);
        var manifest = resolved.Parsed;
        var config = await repository.GetBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
        ImageConfigFacts.CheckPlatform(config, manifest.Config.Digest, imageName, options.Platform);
        var diffIds = ImageConfigFacts.Read(config, manifest.Config.Digest);
        if (diffIds.Count != manifest.Layers.Count)
        {
            throw new ImagePullException(
                $"image {imageName}: manifest {resolved.Manifest.Descriptor.Digest} lists {manifest.Layers.Count} layers but its config has {diffIds.Count} diff_ids");
        }

        if (diffIds.Count == 0)
        {
            throw new ImagePullException($"image {imageName}: manifest {resolved.Manifest.Descriptor.Digest} has no layers");
        }

        var chainIds = ChainIds.Compute(diffIds);
        progress?.Report(new PullProgress(imageName, PullStage.Resolved));

        var lease = await ContainerdLease.CreateAsync(_containerd, "soci-rpull", cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            var content = new ContainerdContentStore(_containerd, lease);
            await StoreImageContentAsync(content, image, resolved, manifest, config, chainIds[^1], options.Snapshotter, cancellationToken).ConfigureAwait(false);

            var layers = new List<PulledLayer>();
            var ingests = new LayerIngests(repository, content, manifest.Layers.Select((layer, i) => (layer, diffIds[i])).ToList(),
                options.ConcurrentDownloads, progress, cancellationToken);
            await using (ingests.ConfigureAwait(false))
            {
                for (var i = 0; i < manifest.Layers.Count; i++)
                {
                    var layer = new LayerToPull(manifest.Layers[i], diffIds[i], chainIds[i], i == 0 ? "" : chainIds[i - 1], i);
                    var labels = LayerSnapshotLabels.ForPrepare(imageName, resolved.Manifest.Descriptor.Digest, manifest.Layers, i, layer.ChainId,
                        options.SociIndexDigest);
                    var outcome = await PullLayerAsync(layer, labels, options.Snapshotter, lease, ingests, progress, cancellationToken)
                        .ConfigureAwait(false);
                    layers.Add(new PulledLayer(layer.Descriptor.Digest, layer.Descriptor.Size, layer.DiffId, layer.ChainId, outcome));
                }
            }

            var root = resolved.Root.Descriptor;
            await new ContainerdImageStore(_containerd, lease)
                .CreateOrUpdateAsync(imageName, root.MediaType, root.Digest, root.Size, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress?.Report(new PullProgress(imageName, PullStage.Done));
            return new ImagePullResult(imageName, root.Digest, resolved.Manifest.Descriptor.Digest, manifest.Config.Digest, layers);
        }
    }

    private static ImageReference ParseReference(string reference)
    {
        try
        {
            return ImageReference.Parse(reference);
        }
        catch (FormatException error)
        {
            throw new ImagePullException($"invalid image reference \"{reference}\": {error.Message}", error);
        }
    }

    /// <summary>
    /// Stores config, manifest and (for a multi-platform reference) the index, each labelled so that the image
    /// record alone keeps them and the top layer snapshot alive. The manifest names no layer blobs: layers live in
    /// the snapshotter, not in the content store.
    /// </summary>
    private static async Task StoreImageContentAsync(ContainerdContentStore content, ImageReference image, ResolvedImage resolved, OciManifest manifest,
        byte[] config, string topChainId, string snapshotter, CancellationToken cancellationToken)
    {
        var source = ContainerdLabels.DistributionSource(image.Domain);
        await content.WriteAsync(manifest.Config.Digest, config, new Dictionary<string, string>
        {
            [ContainerdLabels.GcRefSnapshot(snapshotter)] = topChainId,
            [source] = image.Repository,
        }, cancellationToken).ConfigureAwait(false);

        var manifestDigest = resolved.Manifest.Descriptor.Digest;
        await content.WriteAsync(manifestDigest, resolved.Manifest.Bytes, new Dictionary<string, string>
        {
            [ContainerdLabels.GcRefContentConfig] = manifest.Config.Digest,
            [source] = image.Repository,
        }, cancellationToken).ConfigureAwait(false);

        if (resolved.Root.IsIndex)
        {
            var entries = resolved.Root.AsIndex().Manifests;
            var position = entries.ToList().FindIndex(entry => entry.Digest == manifestDigest);
            await content.WriteAsync(resolved.Root.Descriptor.Digest, resolved.Root.Bytes, new Dictionary<string, string>
            {
                [ContainerdLabels.GcRefContentManifest(position)] = manifestDigest,
                [source] = image.Repository,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<LayerPullOutcome> PullLayerAsync(LayerToPull layer, Dictionary<string, string> labels, string snapshotter,
        ContainerdLease lease, LayerIngests ingests, IProgress<PullProgress>? progress,
        CancellationToken cancellationToken)
    {
        var digest = layer.Descriptor.Digest;
        progress?.Report(new PullProgress(digest, PullStage.Checking, 0, layer.Descriptor.Size));
        if (await SnapshotExistsAsync(snapshotter, layer.ChainId, lease, cancellationToken).ConfigureAwait(false))
        {
            ingests.Cancel(layer.Index);
            progress?.Report(new PullProgress(digest, PullStage.AlreadyPresent));
            return LayerPullOutcome.AlreadyPresent;
        }

        var key = $"extract-{Guid.NewGuid():N} {layer.ChainId}";
        var prepare = new PrepareSnapshotRequest { Snapshotter = snapshotter, Key = key, Parent = layer.ParentChainId };
        foreach (var (name, value) in labels)
        {
            prepare.Labels[name] = value;
        }

        PrepareSnapshotResponse prepared;
        try
        {
            prepared = await _containerd.Snapshots.PrepareAsync(prepare, lease.Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
        {
            // The snapshotter committed the layer under its chainID itself: it is served remotely.
            ingests.Cancel(layer.Index);
            progress?.Report(new PullProgress(digest, PullStage.Remote));
            return LayerPullOutcome.Remote;
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, $"prepare snapshot of layer {digest} in snapshotter {snapshotter}", _containerd.SocketPath);
        }

        try
        {
            // One layer needs unpacking, so the later ones likely do too: fetch them while this one is applied.
            ingests.StartFrom(layer.Index);
            await UnpackAsync(layer, key, prepared, snapshotter, lease, ingests, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveQuietlyAsync(snapshotter, key, lease).ConfigureAwait(false);
            throw;
        }

        progress?.Report(new PullProgress(digest, PullStage.Unpacked, layer.Descriptor.Size, layer.Descriptor.Size));
        return LayerPullOutcome.Unpacked;
    }

    private async Task UnpackAsync(LayerToPull layer, string key, PrepareSnapshotResponse prepared, string snapshotter,
        ContainerdLease lease, LayerIngests ingests, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var descriptor = layer.Descriptor;
        await ingests.WaitAsync(layer.Index).ConfigureAwait(false);
        progress?.Report(new PullProgress(descriptor.Digest, PullStage.Unpacking, descriptor.Size, descriptor.Size));

        var apply = new ApplyRequest { Diff = new ContainerdDescriptor { MediaType = descriptor.MediaType, Digest = descriptor.Digest, Size = descriptor.Size } };
        apply.Mounts.AddRange(prepared.Mounts);
        ApplyResponse applied;
        try
        {
            applied = await _containerd.Diff.ApplyAsync(apply, lease.Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, $"apply layer {descriptor.Digest} ({descriptor.MediaType})", _containerd.SocketPath);
        }

        if (applied.Applied?.Digest != layer.DiffId)
        {
            throw new ImagePullException(
                $"layer {descriptor.Digest} unpacked to {applied.Applied?.Digest ?? "nothing"}, but the image config says its diffID is {layer.DiffId}");
        }

        var commit = new CommitSnapshotRequest { Snapshotter = snapshotter, Name = layer.ChainId, Key = key };
        foreach (var (name, value) in LayerSnapshotLabels.ForCommit(layer.ChainId))
        {
            commit.Labels[name] = value;
        }

        try
        {
            await _containerd.Snapshots.CommitAsync(commit, lease.Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
        {
            // A concurrent pull committed the same layer first; ours is redundant.
            await RemoveQuietlyAsync(snapshotter, key, lease).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, $"commit snapshot {layer.ChainId} of layer {descriptor.Digest}", _containerd.SocketPath);
        }
    }

    private async Task<bool> SnapshotExistsAsync(string snapshotter, string name, ContainerdLease lease, CancellationToken cancellationToken)
    {
        try
        {
            await _containerd.Snapshots.StatAsync(new StatSnapshotRequest { Snapshotter = snapshotter, Key = name }, lease.Call(cancellationToken))
                .ConfigureAwait(false);
            return true;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, $"stat snapshot {name} in snapshotter {snapshotter}", _containerd.SocketPath);
        }
    }

    private async Task RemoveQuietlyAsync(string snapshotter, string key, ContainerdLease lease)
    {
        try
        {
            await _containerd.Snapshots.RemoveAsync(new RemoveSnapshotRequest { Snapshotter = snapshotter, Key = key }, lease.Call(CancellationToken.None))
                .ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The active snapshot is held only by the lease, which is deleted next anyway.
        }
    }

    private sealed record LayerToPull(OciDescriptor Descriptor, string DiffId, string ChainId, string ParentChainId, int Index);
}
