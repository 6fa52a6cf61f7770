namespace Soci.Actors.Snapshotter.Mounts;

/// <summary>
/// The mounts for a snapshot, exactly as containerd's overlayfs snapshotter returns them: a bind mount when there is
/// nothing to overlay (no parents; or a view of a single parent), otherwise one overlay whose lowerdir lists the
/// parents nearest first, with the snapshot's own upper and work directories when it is active.
/// </summary>
public sealed class MountPlanner(SnapshotDirectories directories, OverlayFeatures features)
{
    public IReadOnlyList<SnapshotMount> MountsFor(SnapshotInfo snapshot, IReadOnlyList<SnapshotInfo> ancestors)
    {
        if (ancestors.Count == 0)
        {
            var access = snapshot.Kind == SnapshotKind.View ? "ro" : "rw";
            return [new SnapshotMount("bind", directories.UpperPath(snapshot.Id), [access, "rbind"])];
        }

        var options = new List<string>();
        if (features.IndexOff)
        {
            options.Add("index=off");
        }

        if (features.UserXattr)
        {
            options.Add("userxattr");
        }

        if (snapshot.Kind == SnapshotKind.Active)
        {
            options.Add($"workdir={directories.WorkPath(snapshot.Id)}");
            options.Add($"upperdir={directories.UpperPath(snapshot.Id)}");
        }
        else if (ancestors.Count == 1)
        {
            return [new SnapshotMount("bind", directories.UpperPath(ancestors[0].Id), ["ro", "rbind"])];
        }

        options.Add($"lowerdir={string.Join(':', ancestors.Select(parent => directories.UpperPath(parent.Id)))}");
        return [new SnapshotMount("overlay", "overlay", options)];
    }
}
