using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// One node of a layer's metadata tree (algorithms §7): a file, directory, link or device with the attributes the
/// mount serves. Hard links are several names for the same node.
/// </summary>
public sealed class LayerNode
{
    private Dictionary<ByteString, LayerNode>? _children;

    internal LayerNode(uint id, uint mode) => (Id, Mode) = (id, mode);

    /// <summary>Sequential node id (root = 1); the FUSE inode is <c>3 + Id</c>.</summary>
    public uint Id { get; }

    /// <summary>Full st_mode: file type bits, permissions and setuid/setgid/sticky.</summary>
    public uint Mode { get; internal set; }

    public uint Uid { get; internal set; }

    public uint Gid { get; internal set; }

    /// <summary>Data size for files (the tar size field for other types).</summary>
    public long Size { get; internal set; }

    /// <summary>Zero (the Unix epoch) for implicit directories.</summary>
    public ZtocTime ModTime { get; internal set; } = new(0, 0);

    public ByteString LinkName { get; internal set; } = ByteString.Empty;

    public uint DevMajor { get; internal set; }

    public uint DevMinor { get; internal set; }

    public IReadOnlyDictionary<string, ByteString> Xattrs { get; internal set; } = EmptyXattrs;

    public int LinkCount { get; internal set; }

    /// <summary>Where the file's data starts in the uncompressed layer.</summary>
    public long DataOffset { get; internal set; }

    /// <summary>A <c>.wh.&lt;name&gt;</c> entry (not the opaque marker): overlayfs sees it as a 0:0 character device.</summary>
    public bool IsWhiteout { get; internal set; }

    public uint FileType => Mode & FileTypes.Mask;

    public bool IsDirectory => FileType == FileTypes.Directory;

    public bool IsRegularFile => FileType == FileTypes.Regular;

    /// <summary>Children by name (directories only; empty otherwise).</summary>
    public IReadOnlyDictionary<ByteString, LayerNode> Children => _children ?? EmptyChildren;

    internal void SetChild(ByteString name, LayerNode child) => (_children ??= [])[name] = child;

    private static readonly IReadOnlyDictionary<string, ByteString> EmptyXattrs = new Dictionary<string, ByteString>();
    private static readonly IReadOnlyDictionary<ByteString, LayerNode> EmptyChildren = new Dictionary<ByteString, LayerNode>();
}

/// <summary>st_mode file type bits.</summary>
public static class FileTypes
{
    public const uint Mask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint Block = 0x6000;
    public const uint Directory = 0x4000;
    public const uint Character = 0x2000;
    public const uint Fifo = 0x1000;
}
