namespace Soci.Fuse.FileSystem;

/// <summary>The filesystem statistics reported by statfs(2).</summary>
public struct FuseStatFs
{
    public ulong Blocks;
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public uint BlockSize;
    public uint NameLength;
    public uint FragmentSize;
}
