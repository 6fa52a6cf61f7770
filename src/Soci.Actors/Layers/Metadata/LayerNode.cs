using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// One node of a layer's metadata tree (algorithms §7): a file, directory, link or device with the attributes the
/// mount serves. A view of the layer's flat store (no copy); hard links are several names for the same node.
/// </summary>
public readonly struct LayerNode : IEquatable<LayerNode>
{
    private readonly LayerMetadata _metadata;

    internal LayerNode(LayerMetadata metadata, uint id) => (_metadata, Id) = (metadata, id);

    /// <summary>Sequential node id (root = 1); the FUSE inode is <c>3 + Id</c>.</summary>
    public uint Id { get; }

    /// <summary>Full st_mode: file type bits, permissions and setuid/setgid/sticky.</summary>
    public uint Mode => Record.Mode;

    public uint Uid => Record.Uid;

    public uint Gid => Record.Gid;

    /// <summary>Data size for files (the tar size field for other types).</summary>
    public long Size => Record.Size;

    /// <summary>Zero (the Unix epoch) for implicit directories.</summary>
    public ZtocTime ModTime => new(Record.ModTimeSeconds, Record.ModTimeNanoseconds);

    public ReadOnlySpan<byte> LinkName => _metadata.LinkName(Id);

    public uint DevMajor => _metadata.Device(Id).Major;

    public uint DevMinor => _metadata.Device(Id).Minor;

    public IReadOnlyDictionary<string, ByteString> Xattrs => _metadata.Xattrs(Id);

    public int LinkCount => Record.LinkCount;

    /// <summary>Where the file's data starts in the uncompressed layer.</summary>
    public long DataOffset => Record.DataOffset;

    /// <summary>A <c>.wh.&lt;name&gt;</c> entry (not the opaque marker): overlayfs sees it as a 0:0 character device.</summary>
    public bool IsWhiteout => Record.IsWhiteout;

    public uint FileType => Mode & FileTypes.Mask;

    public bool IsDirectory => FileType == FileTypes.Directory;

    public bool IsRegularFile => FileType == FileTypes.Regular;

    /// <summary>Number of entries of a directory (0 otherwise).</summary>
    public int ChildCount => Record.ChildCount;

    /// <summary>The name of entry <paramref name="index"/> (entries are sorted by name bytes).</summary>
    public ReadOnlySpan<byte> ChildName(int index)
    {
        ref readonly var entry = ref _metadata.Child(Record, index);
        return _metadata.String(entry.NameOffset, entry.NameLength);
    }

    /// <summary>The node of entry <paramref name="index"/>.</summary>
    public LayerNode Child(int index) => new(_metadata, _metadata.Child(Record, index).Node);

    /// <summary>The entry called <paramref name="name"/> of a directory.</summary>
    public bool TryGetChild(ReadOnlySpan<byte> name, out LayerNode child) => _metadata.TryGetChild(Id, name, out child);

    private ref readonly NodeRecord Record => ref _metadata.Record(Id);

    public bool Equals(LayerNode other) => ReferenceEquals(_metadata, other._metadata) && Id == other.Id;

    public override bool Equals(object? obj) => obj is LayerNode other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_metadata, Id);

    public static bool operator ==(LayerNode left, LayerNode right) => left.Equals(right);

    public static bool operator !=(LayerNode left, LayerNode right) => !left.Equals(right);
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
