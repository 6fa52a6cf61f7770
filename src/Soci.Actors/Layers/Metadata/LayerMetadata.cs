using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// The inode tree of one layer (algorithms §7) in a flat store: one struct per node in id order, each directory's
/// entries as a name-sorted run of one child table, all names and link targets in one byte table, and what few
/// nodes have (link targets, device numbers, xattrs) by node id. A mounted layer therefore holds a few arrays instead of objects and strings per file, and the
/// ztoc's TOC it was built from is not kept.
/// </summary>
public sealed class LayerMetadata
{
    private static readonly IReadOnlyDictionary<string, ByteString> NoXattrs = new Dictionary<string, ByteString>();
    private readonly NodeRecord[] _nodes;
    private readonly ChildRecord[] _children;
    private readonly byte[] _strings;
    private readonly Dictionary<uint, StringRef> _linkNames;
    private readonly Dictionary<uint, DeviceNumbers> _devices;
    private readonly Dictionary<uint, IReadOnlyDictionary<string, ByteString>> _xattrs;

    internal LayerMetadata(
        NodeRecord[] nodes, ChildRecord[] children, byte[] strings, Dictionary<uint, StringRef> linkNames,
        Dictionary<uint, DeviceNumbers> devices, Dictionary<uint, IReadOnlyDictionary<string, ByteString>> xattrs)
    {
        _nodes = nodes;
        _children = children;
        _strings = strings;
        _linkNames = linkNames;
        _devices = devices;
        _xattrs = xattrs;
    }

    public LayerNode Root => new(this, 1);

    public int NodeCount => _nodes.Length;

    /// <summary>The node with id <paramref name="id"/>, or null.</summary>
    public LayerNode? Node(uint id) => id >= 1 && id <= _nodes.Length ? new LayerNode(this, id) : null;

    /// <summary>The node at a path (cleaned like a tar name), or null.</summary>
    public LayerNode? Find(string path)
    {
        var node = Root;
        foreach (var component in LayerPath.Components(ByteString.FromString(path)))
        {
            if (!node.TryGetChild(component.Span, out node))
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Builds the tree from the TOC entries in their stored order.</summary>
    /// <exception cref="LayerMetadataException">A hard link names a missing entry, or a path runs through a non-directory.</exception>
    public static LayerMetadata Build(IEnumerable<FileMetadata> files)
    {
        var builder = new LayerMetadataBuilder();
        foreach (var file in files)
        {
            builder.Add(file);
        }
        return builder.Build();
    }

    internal ref readonly NodeRecord Record(uint id) => ref _nodes[id - 1];

    // The packed tables as they are, for the layer's stored form (PreparedLayerFile).
    internal ReadOnlySpan<NodeRecord> Nodes => _nodes;

    internal ReadOnlySpan<ChildRecord> Children => _children;

    internal ReadOnlySpan<byte> Strings => _strings;

    internal IReadOnlyDictionary<uint, StringRef> LinkNames => _linkNames;

    internal IReadOnlyDictionary<uint, DeviceNumbers> Devices => _devices;

    internal IReadOnlyDictionary<uint, IReadOnlyDictionary<string, ByteString>> AllXattrs => _xattrs;

    internal ReadOnlySpan<byte> String(int offset, int length) => _strings.AsSpan(offset, length);

    internal ref readonly ChildRecord Child(in NodeRecord directory, int index) => ref _children[directory.FirstChild + index];

    internal ReadOnlySpan<byte> LinkName(uint id) =>
        _linkNames.TryGetValue(id, out var target) ? String(target.Offset, target.Length) : [];

    internal DeviceNumbers Device(uint id) => _devices.GetValueOrDefault(id);

    internal IReadOnlyDictionary<string, ByteString> Xattrs(uint id) => _xattrs.GetValueOrDefault(id) ?? NoXattrs;

    /// <summary>Binary search of a directory's name-sorted entries.</summary>
    internal bool TryGetChild(uint directory, ReadOnlySpan<byte> name, out LayerNode child)
    {
        ref readonly var record = ref Record(directory);
        int low = 0, high = record.ChildCount - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            ref readonly var entry = ref Child(record, middle);
            var order = String(entry.NameOffset, entry.NameLength).SequenceCompareTo(name);
            if (order == 0)
            {
                child = new LayerNode(this, entry.Node);
                return true;
            }
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        child = default;
        return false;
    }
}
