namespace Soci.Actors.Snapshotter;

/// <summary>Disk usage of a snapshot's own directory (bytes allocated and inodes), as containerd's Usage reports it.</summary>
public sealed record SnapshotUsage(long Size, long Inodes)
{
    public static SnapshotUsage Zero { get; } = new(0, 0);
}
