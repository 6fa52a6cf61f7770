using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Soci.Actors.Snapshotter.Filters;
using Soci.Actors.Snapshotter.Metadata;
using Soci.Actors.Snapshotter.Mounts;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Snapshotter;

/// <summary>
/// containerd's Snapshots API over overlayfs directories (snapshotter.md §5), with remote layers mounted by an
/// <see cref="IRemoteFileSystem"/>. Metadata lives in <see cref="MetadataStore"/>; each snapshot's directory is
/// moved into place inside the transaction that records it, and directories nobody owns any more (after Remove,
/// or left by a crash) are deleted by Cleanup and at start.
/// </summary>
public sealed class OverlaySnapshotter : IAsyncDisposable
{
    private readonly MetadataStore _store;
    private readonly SnapshotDirectories _directories;
    private readonly MountPlanner _planner;
    private readonly IRemoteFileSystem _remote;
    private readonly SnapshotterOptions _options;
    private readonly ILogger _log;
    // Serializes changes to the set of snapshot directories against Cleanup's view of which ones are orphans.
    private readonly SemaphoreSlim _layout = new(1, 1);
    private readonly ConcurrentDictionary<long, RemoteSnapshotState> _remoteStates = new();
    private readonly ConcurrentDictionary<long, Task> _restores = new();

    private OverlaySnapshotter(MetadataStore store, SnapshotDirectories directories, IRemoteFileSystem remote,
        SnapshotterOptions options, ILogger log)
    {
        _store = store;
        _directories = directories;
        _planner = new MountPlanner(directories, OverlayFeatures.Detect(directories.Root));
        _remote = remote;
        _options = options;
        _log = log;
    }

    /// <summary>Completes when every remote snapshot found at start has been restored or has failed to.</summary>
    public Task Restored { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Opens the snapshotter under <paramref name="snapshotterRoot"/> (<c>&lt;root&gt;/snapshotter</c>): detaches
    /// mounts a previous daemon left, deletes orphaned directories, and starts restoring remote snapshots in the
    /// background, so a slow or unreachable registry never delays start-up.
    /// </summary>
    public static OverlaySnapshotter Open(string snapshotterRoot, IRemoteFileSystem remote, SnapshotterOptions options, ILogger log)
    {
        var directories = new SnapshotDirectories(snapshotterRoot);
        var store = MetadataStore.Open(Path.Combine(snapshotterRoot, "metadata.db"));
        var snapshotter = new OverlaySnapshotter(store, directories, remote, options, log);
        snapshotter.DetachStaleMounts();
        snapshotter.DeleteOrphans();
        snapshotter.Restored = snapshotter.RestoreRemoteSnapshotsAsync();
        return snapshotter;
    }

    public RemoteSnapshotState? RemoteState(long id) => _remoteStates.TryGetValue(id, out var state) ? state : null;

    public async Task<IReadOnlyList<SnapshotMount>> PrepareAsync(string key, string parent,
        IReadOnlyDictionary<string, string> labels, string? containerdNamespace, CancellationToken cancellation)
    {
        RequireKey(key);
        SnapshotLabels.Validate(labels);
        if (!labels.TryGetValue(SnapshotLabels.TargetReference, out var target))
        {
            await CheckParentAvailableAsync(parent, cancellation);
            var plain = await CreateAsync(SnapshotKind.Active, key, parent, labels, cancellation);
            return _planner.MountsFor(plain, _store.Ancestors(plain));
        }

        if (string.IsNullOrEmpty(containerdNamespace))
        {
            throw SnapshotException.InvalidArgument($"prepare {key} with {SnapshotLabels.TargetReference}: the request has no containerd namespace attached");
        }

        var layerSize = RemoteLayerLabels.LayerSize(labels);
        var withNamespace = new Dictionary<string, string>(labels) { [SnapshotLabels.Namespace] = containerdNamespace };
        var active = await CreateAsync(SnapshotKind.Active, key, parent, withNamespace, cancellation);
        return await PrepareLayerAsync(active, target, withNamespace, layerSize, cancellation);
    }

    public async Task<IReadOnlyList<SnapshotMount>> ViewAsync(string key, string parent,
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        RequireKey(key);
        SnapshotLabels.Validate(labels);
        await CheckParentAvailableAsync(parent, cancellation);
        var view = await CreateAsync(SnapshotKind.View, key, parent, labels, cancellation);
        return _planner.MountsFor(view, _store.Ancestors(view));
    }

    public async Task<IReadOnlyList<SnapshotMount>> MountsAsync(string key, CancellationToken cancellation) =>
        await MountsOfAsync(_store.Get(key), cancellation);

    public Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        RequireKey(name);
        SnapshotLabels.Validate(labels);
        var active = _store.Get(key);
        var usage = active.Kind == SnapshotKind.Active && !IsRemote(active) ? _directories.Usage(active.Id) : SnapshotUsage.Zero;
        _store.Commit(key, name, labels, usage);
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string key, CancellationToken cancellation)
    {
        await _layout.WaitAsync(cancellation);
        try
        {
            var removed = _store.Remove(key);
            await DeleteDirectoryAsync(_directories.SnapshotPath(removed.Id), cancellation);
            _remoteStates.TryRemove(removed.Id, out _);
        }
        finally
        {
            _layout.Release();
        }
    }

    public SnapshotInfo Stat(string key) => _store.Get(key);

    /// <summary>
    /// containerd's Update: only labels are mutable. No field paths replaces all labels; <c>labels</c> does too;
    /// <c>labels.&lt;key&gt;</c> sets that one label (an empty value removes it); any other path is refused.
    /// </summary>
    public SnapshotInfo Update(string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> fieldPaths)
    {
        foreach (var path in fieldPaths)
        {
            if (path != "labels" && !path.StartsWith("labels.", StringComparison.Ordinal))
            {
                throw SnapshotException.InvalidArgument($"cannot update \"{path}\" field on snapshot \"{name}\": only labels are mutable");
            }
        }

        SnapshotLabels.Validate(labels);
        return _store.SetLabels(name, current =>
        {
            var updated = fieldPaths.Count == 0 ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(current.Labels);
            foreach (var path in fieldPaths)
            {
                if (path == "labels")
                {
                    updated = new Dictionary<string, string>(labels);
                }
                else
                {
                    var label = path["labels.".Length..];
                    updated[label] = labels.TryGetValue(label, out var value) ? value : "";
                }
            }

            return updated.Where(pair => pair.Value.Length > 0).ToDictionary();
        });
    }

    public IReadOnlyList<SnapshotInfo> List(IReadOnlyList<string> filters)
    {
        SnapshotFilter filter;
        try
        {
            filter = SnapshotFilter.Parse(filters);
        }
        catch (FilterSyntaxException error)
        {
            throw SnapshotException.InvalidArgument(error.Message);
        }

        return _store.List().Where(filter.Matches).ToList();
    }

    public SnapshotUsage Usage(string key)
    {
        var snapshot = _store.Get(key);
        return snapshot.Kind == SnapshotKind.Active ? _directories.Usage(snapshot.Id) : _store.StoredUsage(snapshot.Id);
    }

    /// <summary>Deletes every snapshot directory no live snapshot owns, unmounting remote layers first.</summary>
    public async Task CleanupAsync(CancellationToken cancellation)
    {
        await _layout.WaitAsync(cancellation);
        try
        {
            foreach (var orphan in _directories.Orphans(_store.LiveIds()))
            {
                try
                {
                    await DeleteDirectoryAsync(orphan, cancellation);
                }
                catch (IOException error)
                {
                    _log.LogWarning(error, "failed to clean up orphaned snapshot directory {Directory}", orphan);
                }
            }
        }
        finally
        {
            _layout.Release();
        }
    }

    /// <summary>
    /// Shuts down. With <paramref name="unmountRemoteLayers"/> (SIGINT) every remote layer is unmounted; without it
    /// (SIGTERM) mounts stay and are detached at the next start.
    /// </summary>
    public async Task CloseAsync(bool unmountRemoteLayers)
    {
        if (unmountRemoteLayers)
        {
            foreach (var id in _remoteStates.Where(pair => pair.Value.Phase == RemoteSnapshotPhase.Mounted).Select(pair => pair.Key))
            {
                try
                {
                    await _remote.UnmountAsync(_directories.UpperPath(id), CancellationToken.None);
                }
                catch (Exception error) when (error is IOException or RemoteMountException)
                {
                    _log.LogWarning(error, "failed to unmount remote snapshot {Id} at shutdown", id);
                }
            }
        }

        _store.Dispose();
    }

    public ValueTask DisposeAsync() => new(CloseAsync(unmountRemoteLayers: false));

    private async Task<SnapshotInfo> CreateAsync(SnapshotKind kind, string key, string parent,
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellation)
    {
        await _layout.WaitAsync(cancellation);
        var temporary = _directories.CreateTemporary(kind);
        try
        {
            return _store.Create(kind, key, parent, labels, (id, parentInfo) =>
            {
                if (parentInfo is not null)
                {
                    _directories.TakeOwnerFrom(temporary, parentInfo.Id);
                }

                _directories.MoveIntoPlace(temporary, id);
            });
        }
        finally
        {
            SnapshotDirectories.Delete(temporary);
            _layout.Release();
        }
    }

    /// <summary>Prepare with a target name: try a remote mount, else a local unpack, else defer to containerd (§5.1).</summary>
    private async Task<IReadOnlyList<SnapshotMount>> PrepareLayerAsync(SnapshotInfo active, string target,
        IReadOnlyDictionary<string, string> labels, long? layerSize, CancellationToken cancellation)
    {
        var upper = _directories.UpperPath(active.Id);
        var remoteLabels = RemoteLayerLabels.Normalize(labels);
        if (remoteLabels is null)
        {
            _log.LogInformation("{Key}: no image and layer labels, deferring to the container runtime (defer-snapshot-runtime=true)", active.Name);
            return await MountsOfAsync(active, cancellation);
        }

        if (_options.MinLayerSize > 0 && layerSize < _options.MinLayerSize)
        {
            _log.LogInformation("{Key}: layer size {Size} below min_layer_size {Min}, not mounting it remotely", active.Name, layerSize, _options.MinLayerSize);
        }
        else
        {
            try
            {
                await _remote.MountAsync(upper, remoteLabels, cancellation);
                var remoteCommitted = new Dictionary<string, string>(labels)
                {
                    [SnapshotLabels.Remote] = SnapshotLabels.RemoteValue,
                    [SnapshotLabels.HasSociIndexDigest] = "true",
                };
                _remoteStates[active.Id] = RemoteSnapshotState.Mounted;
                await CommitPreparedLayerAsync(active, target, remoteCommitted, SnapshotUsage.Zero, cancellation);
                _log.LogInformation("{Key}: committed remote snapshot {Target} (remote-snapshot-prepared=true)", active.Name, target);
                throw SnapshotException.AlreadyExists($"target snapshot \"{target}\": already exists");
            }
            catch (RemoteMountException error) when (error.Failure == RemoteMountFailure.NoValidSociIndex)
            {
                _log.LogInformation("{Key}: {Reason}; deferring to the container runtime (remote-snapshot-prepared=false, defer-snapshot-runtime=true)", active.Name, error.Message);
                return await MountsOfAsync(active, cancellation);
            }
            catch (RemoteMountException error)
            {
                _log.LogInformation("{Key}: remote mount failed: {Reason}; unpacking locally (remote-snapshot-prepared=false)", active.Name, error.Message);
            }
        }

        try
        {
            await _remote.MountLocalAsync(upper, remoteLabels, cancellation);
        }
        catch (RemoteMountException error)
        {
            _log.LogInformation("{Key}: local unpack failed: {Reason}; deferring to the container runtime (defer-snapshot-runtime=true)", active.Name, error.Message);
            return await MountsOfAsync(active, cancellation);
        }

        var localCommitted = new Dictionary<string, string>(labels) { [SnapshotLabels.HasSociIndexDigest] = "true" };
        await CommitPreparedLayerAsync(active, target, localCommitted, _directories.Usage(active.Id), cancellation);
        _log.LogInformation("{Key}: committed locally unpacked snapshot {Target} (local-snapshot-prepared=true)", active.Name, target);
        throw SnapshotException.AlreadyExists($"target snapshot \"{target}\": already exists");
    }

    /// <summary>
    /// Commits a layer we prepared ourselves under containerd's target name. If another client committed the same
    /// target meanwhile, ours is dropped: the answer (AlreadyExists) is the same and nothing is left behind.
    /// </summary>
    private async Task CommitPreparedLayerAsync(SnapshotInfo active, string target, IReadOnlyDictionary<string, string> labels,
        SnapshotUsage usage, CancellationToken cancellation)
    {
        try
        {
            _store.Commit(active.Name, target, labels, usage);
        }
        catch (SnapshotException error) when (error.Code == SnapshotErrorCode.AlreadyExists)
        {
            await RemoveAsync(active.Name, cancellation);
        }
    }

    private async Task<IReadOnlyList<SnapshotMount>> MountsOfAsync(SnapshotInfo snapshot, CancellationToken cancellation)
    {
        var ancestors = _store.Ancestors(snapshot);
        await CheckAvailabilityAsync([snapshot, .. ancestors], cancellation);
        return _planner.MountsFor(snapshot, ancestors);
    }

    /// <summary>A snapshot on top of an unavailable remote layer is refused before anything is created.</summary>
    private async Task CheckParentAvailableAsync(string parent, CancellationToken cancellation)
    {
        if (parent.Length > 0 && _store.Find(parent) is { } parentInfo)
        {
            await CheckAvailabilityAsync([parentInfo, .. _store.Ancestors(parentInfo)], cancellation);
        }
    }

    /// <summary>Every remote layer in the chain must be able to serve reads (§5.9); otherwise containerd gets Unavailable.</summary>
    private async Task CheckAvailabilityAsync(IEnumerable<SnapshotInfo> chain, CancellationToken cancellation)
    {
        var checks = chain.Where(IsRemote).Select(async snapshot =>
        {
            await AwaitRestoreAsync(snapshot.Id, cancellation);
            var state = RemoteState(snapshot.Id) ?? new RemoteSnapshotState(RemoteSnapshotPhase.RestoreFailed, "its remote mount is not known to this daemon");
            if (state.Phase != RemoteSnapshotPhase.Mounted)
            {
                throw new SnapshotException(SnapshotErrorCode.Unavailable, $"layer {snapshot.Id} ({snapshot.Name}) unavailable: {state.Reason}");
            }

            try
            {
                await _remote.CheckAsync(_directories.UpperPath(snapshot.Id), snapshot.Labels, cancellation);
            }
            catch (RemoteMountException error)
            {
                throw new SnapshotException(SnapshotErrorCode.Unavailable, $"layer {snapshot.Id} ({snapshot.Name}) unavailable: {error.Message}", error);
            }
        });
        await Task.WhenAll(checks);
    }

    /// <summary>A request that needs a layer being restored waits for it, within the configured bound; after that the
    /// layer's state (still Restoring) answers the request.</summary>
    private async Task AwaitRestoreAsync(long id, CancellationToken cancellation)
    {
        if (_restores.TryGetValue(id, out var restore) && !restore.IsCompleted)
        {
            try
            {
                await restore.WaitAsync(_options.RestoreWaitTimeout, cancellation);
            }
            catch (TimeoutException)
            {
                _log.LogWarning("remote snapshot {Id} is still being restored after {Timeout}", id, _options.RestoreWaitTimeout);
            }
        }
    }

    private async Task DeleteDirectoryAsync(string directory, CancellationToken cancellation)
    {
        var upper = Path.Combine(directory, "fs");
        if (Directory.Exists(upper) && MountInfo.IsMountPoint(upper))
        {
            try
            {
                await _remote.UnmountAsync(upper, cancellation);
            }
            catch (RemoteMountException error)
            {
                _log.LogWarning(error, "remote filesystem could not unmount {MountPoint}; detaching it", upper);
            }
        }

        SnapshotDirectories.Delete(directory);
    }

    /// <summary>A daemon killed without SIGINT leaves its FUSE mounts; they cannot serve and are detached (§5.11 step 1).</summary>
    private void DetachStaleMounts()
    {
        foreach (var mountPoint in MountInfo.MountPointsUnder(_directories.SnapshotsPath))
        {
            _log.LogInformation("detaching stale mount {MountPoint}", mountPoint);
            LinuxNative.Unmount(mountPoint, LinuxNative.MntForce | LinuxNative.MntDetach);
        }
    }

    private void DeleteOrphans()
    {
        foreach (var orphan in _directories.Orphans(_store.LiveIds()))
        {
            _log.LogInformation("deleting orphaned snapshot directory {Directory}", orphan);
            SnapshotDirectories.Delete(orphan);
        }
    }

    private Task RestoreRemoteSnapshotsAsync()
    {
        var remote = _store.List().Where(IsRemote).ToList();
        foreach (var snapshot in remote)
        {
            _remoteStates[snapshot.Id] = RemoteSnapshotState.Restoring;
        }

        foreach (var snapshot in remote)
        {
            _restores[snapshot.Id] = Task.Run(() => RestoreAsync(snapshot));
        }

        return Task.WhenAll(_restores.Values);
    }

    private async Task RestoreAsync(SnapshotInfo snapshot)
    {
        try
        {
            if (!snapshot.Labels.TryGetValue(SnapshotLabels.Namespace, out var ns) || ns.Length == 0)
            {
                throw new RemoteMountException(RemoteMountFailure.Failed, $"label {SnapshotLabels.Namespace} is missing");
            }

            _directories.EnsureUpper(snapshot.Id);
            var labels = RemoteLayerLabels.Normalize(snapshot.Labels) ?? snapshot.Labels;
            await _remote.MountAsync(_directories.UpperPath(snapshot.Id), labels, CancellationToken.None);
            _remoteStates[snapshot.Id] = RemoteSnapshotState.Mounted;
            _log.LogInformation("restored remote snapshot {Name} (id {Id})", snapshot.Name, snapshot.Id);
        }
        catch (Exception error) when (error is RemoteMountException or IOException or UnauthorizedAccessException)
        {
            var reason = $"failed to restore its remote mount after a daemon restart: {error.Message}; remove it (ctr snapshots rm) and pull the image again";
            _remoteStates[snapshot.Id] = new RemoteSnapshotState(RemoteSnapshotPhase.RestoreFailed, reason);
            _log.Log(_options.AllowInvalidMountsOnRestart ? LogLevel.Warning : LogLevel.Error,
                "remote snapshot {Name} (id {Id}) is unavailable: {Reason}", snapshot.Name, snapshot.Id, reason);
        }
    }

    private static bool IsRemote(SnapshotInfo snapshot) =>
        snapshot.Labels.TryGetValue(SnapshotLabels.Remote, out var value) && value == SnapshotLabels.RemoteValue;

    private static void RequireKey(string key)
    {
        if (key.Length == 0)
        {
            throw SnapshotException.InvalidArgument("snapshot key must not be empty");
        }
    }
}
