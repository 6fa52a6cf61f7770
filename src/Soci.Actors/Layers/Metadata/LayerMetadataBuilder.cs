using System.Buffers;
using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// Builds a layer's inode tree from its ztoc's TOC (algorithms §7) on temporary objects (sequential node ids with the
/// root at 1, hard links sharing their target's node, missing parent directories created implicitly, nearest
/// ancestor first), then packs it into the flat store <see cref="LayerMetadata"/> keeps. The objects and the path
/// map are garbage once the store is built, so a mounted layer does not hold per-file objects.
/// </summary>
internal sealed class LayerMetadataBuilder
{
    private const uint ImplicitDirectoryMode = FileTypes.Directory | 0x1ED;
    private readonly List<Node> _nodes = [];
    /// <summary>Cleaned path → node (hard links name their targets by path).</summary>
    private readonly Dictionary<ByteString, Node> _byPath = [];
    private readonly Node _root;

    public LayerMetadataBuilder()
    {
        _root = NewNode(ImplicitDirectoryMode, linkCount: 2);
        _byPath[ByteString.Empty] = _root;
    }

    public void Add(FileMetadata file)
    {
        var components = LayerPath.Components(file.Name);
        var path = LayerPath.Join(components, components.Count);
        var type = file.Type.ToString();
        if (type == "hardlink")
        {
            var target = _byPath.GetValueOrDefault(LayerPath.Clean(file.Linkname))
                ?? throw new LayerMetadataException($"received a hardlink but cannot get link destination: {file.Name} -> {file.Linkname}");
            target.LinkCount++;
            if (components.Count > 0)
            {
                Attach(components, target);
            }
            _byPath[path] = target;
            return;
        }

        Node node;
        if (type == "dir" && _byPath.TryGetValue(path, out var existing) && existing.IsDirectory)
        {
            node = existing;
        }
        else
        {
            node = NewNode(0, linkCount: type == "dir" ? 2 : 1);
        }
        Describe(node, file, type);
        if (components.Count > 0)
        {
            node.IsWhiteout = !node.IsDirectory && Whiteouts.IsWhiteout(components[^1]);
            Attach(components, node);
        }
        _byPath[path] = node;
    }

    /// <summary>Packs the tree: node records in id order, each directory's children sorted by name bytes.</summary>
    public LayerMetadata Build()
    {
        var records = new NodeRecord[_nodes.Count];
        var children = new ChildRecord[_nodes.Sum(node => node.Children?.Count ?? 0)];
        var strings = new ArrayBufferWriter<byte>();
        var xattrs = new Dictionary<uint, IReadOnlyDictionary<string, ByteString>>();
        var linkNames = new Dictionary<uint, StringRef>();
        var devices = new Dictionary<uint, DeviceNumbers>();
        var nextChild = 0;
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            records[i] = new NodeRecord
            {
                Size = node.Size,
                DataOffset = node.DataOffset,
                ModTimeSeconds = node.ModTime.UnixSeconds,
                ModTimeNanoseconds = node.ModTime.Nanoseconds,
                Mode = node.Mode,
                Uid = node.Uid,
                Gid = node.Gid,
                LinkCount = node.LinkCount,
                FirstChild = nextChild,
                ChildCount = node.Children?.Count ?? 0,
                IsWhiteout = node.IsWhiteout,
            };
            if (!node.LinkName.IsEmpty)
            {
                linkNames[node.Id] = new StringRef(Append(strings, node.LinkName.Span), node.LinkName.Length);
            }
            if (node.DevMajor != 0 || node.DevMinor != 0)
            {
                devices[node.Id] = new DeviceNumbers(node.DevMajor, node.DevMinor);
            }
            if (node.Xattrs is { } nodeXattrs)
            {
                xattrs[node.Id] = nodeXattrs;
            }
            if (node.Children is { } nodeChildren)
            {
                foreach (var (name, child) in nodeChildren.OrderBy(pair => pair.Key))
                {
                    children[nextChild++] = new ChildRecord(Append(strings, name.Span), name.Length, child.Id);
                }
            }
        }
        return new LayerMetadata(records, children, strings.WrittenSpan.ToArray(), linkNames, devices, xattrs);
    }

    private static int Append(ArrayBufferWriter<byte> strings, ReadOnlySpan<byte> bytes)
    {
        var offset = strings.WrittenCount;
        strings.Write(bytes);
        return offset;
    }

    private void Attach(List<ByteString> components, Node node)
    {
        var parent = Directory(components, components.Count - 1);
        var name = components[^1];
        var previous = parent.Children?.GetValueOrDefault(name);
        (parent.Children ??= [])[name] = node;
        if (node.IsDirectory && previous != node)
        {
            parent.LinkCount++;
        }
    }

    /// <summary>The directory made of the first <paramref name="count"/> components, created implicitly if missing.</summary>
    private Node Directory(List<ByteString> components, int count)
    {
        var path = LayerPath.Join(components, count);
        if (_byPath.TryGetValue(path, out var existing))
        {
            return existing.IsDirectory
                ? existing
                : throw new LayerMetadataException($"{path} is used as a directory but is not one");
        }
        // The directory's own id first, then its missing ancestors walking up (inode numbers depend on this order).
        var directory = NewNode(ImplicitDirectoryMode, linkCount: 2);
        _byPath[path] = directory;
        var parent = Directory(components, count - 1);
        (parent.Children ??= [])[components[count - 1]] = directory;
        parent.LinkCount++;
        return directory;
    }

    private Node NewNode(uint mode, int linkCount)
    {
        var node = new Node((uint)_nodes.Count + 1) { Mode = mode, LinkCount = linkCount };
        _nodes.Add(node);
        return node;
    }

    private static void Describe(Node node, FileMetadata file, string type)
    {
        node.Mode = TypeBits(type, file.Name) | (uint)(file.Mode & 0xFFF);
        node.Uid = file.Uid;
        node.Gid = file.Gid;
        node.Size = file.UncompressedSize;
        node.ModTime = file.ModTime;
        node.LinkName = file.Linkname;
        node.DevMajor = (uint)file.DevMajor;
        node.DevMinor = (uint)file.DevMinor;
        if (file.PaxRecords.Any(record => record.Key.StartsWith(PaxRecord.XattrPrefix)))
        {
            node.Xattrs = file.Xattrs;
        }
        node.DataOffset = file.UncompressedOffset;
    }

    /// <summary>The file type comes from the TOC type alone; type bits inside the tar mode are ignored (formats §1.5).</summary>
    private static uint TypeBits(string type, ByteString name) => type switch
    {
        "dir" => FileTypes.Directory,
        "reg" => FileTypes.Regular,
        "symlink" => FileTypes.Symlink,
        "char" => FileTypes.Character,
        "block" => FileTypes.Block,
        "fifo" => FileTypes.Fifo,
        _ => throw new LayerMetadataException($"entry {name} has unsupported type '{type}'"),
    };

    /// <summary>A node while the tree is being built.</summary>
    private sealed class Node(uint id)
    {
        public uint Id { get; } = id;
        public uint Mode { get; set; }
        public uint Uid { get; set; }
        public uint Gid { get; set; }
        public long Size { get; set; }
        public ZtocTime ModTime { get; set; } = new(0, 0);
        public ByteString LinkName { get; set; } = ByteString.Empty;
        public uint DevMajor { get; set; }
        public uint DevMinor { get; set; }
        public IReadOnlyDictionary<string, ByteString>? Xattrs { get; set; }
        public int LinkCount { get; set; }
        public long DataOffset { get; set; }
        public bool IsWhiteout { get; set; }
        public Dictionary<ByteString, Node>? Children { get; set; }
        public bool IsDirectory => (Mode & FileTypes.Mask) == FileTypes.Directory;
    }
}
