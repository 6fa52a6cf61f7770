namespace Soci.Fuse.FileSystem;

/// <summary>A name resolved to a node: its attributes and the generation that makes (inode, generation) unique
/// over the filesystem's lifetime (0 when inode numbers are never reused).</summary>
public struct FuseEntry
{
    public FuseAttributes Attributes;
    public ulong Generation;
}
