using System.Globalization;
using Soci.Actors.Snapshotter.Mounts;

namespace Soci.Actors.Snapshotter;

/// <summary>
/// The snapshot directories under <c>&lt;root&gt;/snapshotter/snapshots</c> (snapshotter.md §3): <c>&lt;id&gt;/fs</c>
/// (upper dir, or FUSE mount point of a remote layer) and <c>&lt;id&gt;/work</c> (overlay workdir, active snapshots
/// only). New snapshots are built in a <c>new-*</c> directory and renamed into place inside the metadata
/// transaction; anything else found here that no live snapshot owns is an orphan of a crash.
/// </summary>
public sealed class SnapshotDirectories
{
    private const string NewPrefix = "new-";
    private const UnixFileMode FsMode = (UnixFileMode)0b111_101_101;   // 0755
    private const UnixFileMode WorkMode = (UnixFileMode)0b111_001_001; // 0711
    private const UnixFileMode SnapshotMode = (UnixFileMode)0b111_000_000; // 0700

    public SnapshotDirectories(string snapshotterRoot)
    {
        Root = snapshotterRoot;
        SnapshotsPath = Path.Combine(snapshotterRoot, "snapshots");
        Directory.CreateDirectory(Root, SnapshotMode);
        Directory.CreateDirectory(SnapshotsPath, SnapshotMode);
    }

    public string Root { get; }

    public string SnapshotsPath { get; }

    public string SnapshotPath(long id) => Path.Combine(SnapshotsPath, id.ToString(CultureInfo.InvariantCulture));

    public string UpperPath(long id) => Path.Combine(SnapshotPath(id), "fs");

    public string WorkPath(long id) => Path.Combine(SnapshotPath(id), "work");

    /// <summary>A fresh <c>new-*</c> directory with <c>fs</c> (and <c>work</c> for active snapshots).</summary>
    public string CreateTemporary(SnapshotKind kind)
    {
        var temporary = Path.Combine(SnapshotsPath, NewPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(temporary, SnapshotMode);
        Directory.CreateDirectory(Path.Combine(temporary, "fs"), FsMode);
        if (kind == SnapshotKind.Active)
        {
            Directory.CreateDirectory(Path.Combine(temporary, "work"), WorkMode);
        }

        return temporary;
    }

    /// <summary>Gives the new upper dir the owner of the parent's, as containerd does, so ownership carries up.</summary>
    public void TakeOwnerFrom(string temporary, long parentId)
    {
        var (uid, gid) = LinuxNative.Owner(UpperPath(parentId));
        LinuxNative.SetOwner(Path.Combine(temporary, "fs"), uid, gid);
    }

    public void MoveIntoPlace(string temporary, long id) => Directory.Move(temporary, SnapshotPath(id));

    /// <summary>Recreates the directories of a remote snapshot whose mount point is gone (after a restart).</summary>
    public void EnsureUpper(long id)
    {
        Directory.CreateDirectory(SnapshotPath(id), SnapshotMode);
        Directory.CreateDirectory(UpperPath(id), FsMode);
    }

    /// <summary>Deletes a snapshot or temporary directory; anything still mounted below it is detached first.</summary>
    public static void Delete(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var mountPoint in MountInfo.MountPointsUnder(directory))
        {
            LinuxNative.Unmount(mountPoint, LinuxNative.MntDetach);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>
    /// The snapshot directories no live snapshot owns: leftover <c>new-*</c> directories, and ids that are not (or
    /// no longer) in the metastore. <c>&lt;parent&gt;_&lt;active&gt;</c> directories belong to their active id.
    /// </summary>
    public IReadOnlyList<string> Orphans(IReadOnlySet<long> liveIds) =>
        Directory.GetDirectories(SnapshotsPath)
            .Where(directory => OwnerId(Path.GetFileName(directory)) is not { } id || !liveIds.Contains(id))
            .ToList();

    /// <summary>Disk usage of a snapshot's upper dir: allocated bytes and inodes, hard links counted once.</summary>
    public SnapshotUsage Usage(long id)
    {
        var seen = new HashSet<ulong>();
        long blocks = 0;
        var pending = new Stack<string>();
        pending.Push(UpperPath(id));
        while (pending.Count > 0)
        {
            var path = pending.Pop();
            var (inode, allocated) = LinuxNative.InodeAndBlocks(path);
            if (seen.Add(inode))
            {
                blocks += allocated;
            }

            var info = new FileInfo(path);
            if (info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(path))
                {
                    pending.Push(entry);
                }
            }
        }

        return new SnapshotUsage(blocks * 512, seen.Count);
    }

    private static long? OwnerId(string name)
    {
        if (name.StartsWith(NewPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var idPart = name.Contains('_', StringComparison.Ordinal) ? name[(name.LastIndexOf('_') + 1)..] : name;
        return long.TryParse(idPart, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
