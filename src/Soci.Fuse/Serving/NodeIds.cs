namespace Soci.Fuse.Serving;

/// <summary>
/// Maps the filesystem's inode numbers to the kernel's node ids. The kernel insists that the root is node 1,
/// while filesystems choose their own numbers (the lazy layer's root is inode 4 and inode 1 is something
/// else), so the root maps to 1 and every other inode to inode + 2; the inode root + 2 stands for is never issued.
/// </summary>
internal readonly struct NodeIds(ulong rootInode)
{
    private const ulong KernelRoot = 1;

    public ulong ToNodeId(ulong ino)
    {
        if (ino == rootInode)
        {
            return KernelRoot;
        }
        if (ino > ulong.MaxValue - 2)
        {
            throw new FuseException($"inode number {ino} is too large to serve");
        }
        return ino + 2;
    }

    public ulong ToInode(ulong nodeId) => nodeId == KernelRoot ? rootInode : nodeId - 2;
}
