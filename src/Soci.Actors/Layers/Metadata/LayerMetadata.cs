using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// The inode tree of one layer, built from its ztoc's TOC (algorithms §7): sequential node ids with the root at 1,
/// hard links sharing their target's node, missing parent directories created implicitly (nearest ancestor first).
/// </summary>
public sealed class LayerMetadata
{
    private const uint ImplicitDirectoryMode = FileTypes.Directory | 0x1ED;
    private readonly List<LayerNode> _nodes = [];
    /// <summary>Cleaned path → node, needed only while building (hard links name their targets by path).</summary>
    private Dictionary<ByteString, LayerNode> _byPath = [];

    private LayerMetadata()
    {
        Root = NewNode(ImplicitDirectoryMode, linkCount: 2);
        _byPath[ByteString.Empty] = Root;
    }

    public LayerNode Root { get; }

    public int NodeCount => _nodes.Count;

    /// <summary>The node with id <paramref name="id"/>, or null.</summary>
    public LayerNode? Node(uint id) => id >= 1 && id <= _nodes.Count ? _nodes[(int)id - 1] : null;

    /// <summary>The node at a path (cleaned like a tar name), or null.</summary>
    public LayerNode? Find(string path)
    {
        var node = Root;
        foreach (var component in LayerPath.Components(ByteString.FromString(path)))
        {
            if (node.Children.GetValueOrDefault(component) is not { } child)
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    /// <summary>Builds the tree from the TOC entries in their stored order.</summary>
    /// <exception cref="LayerMetadataException">A hard link names a missing entry, or a path runs through a non-directory.</exception>
    public static LayerMetadata Build(IEnumerable<FileMetadata> files)
    {
        var metadata = new LayerMetadata();
        foreach (var file in files)
        {
            metadata.Add(file);
        }
        // Memory stays proportional to the tree: full paths are not kept once the tree is built.
        metadata._byPath = [];
        return metadata;
    }

    private void Add(FileMetadata file)
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

        LayerNode node;
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

    private void Attach(List<ByteString> components, LayerNode node)
    {
        var parent = Directory(components, components.Count - 1);
        var name = components[^1];
        var previous = parent.Children.GetValueOrDefault(name);
        parent.SetChild(name, node);
        if (node.IsDirectory && previous != node)
        {
            parent.LinkCount++;
        }
    }

    /// <summary>The directory made of the first <paramref name="count"/> components, created implicitly if missing.</summary>
    private LayerNode Directory(List<ByteString> components, int count)
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
        parent.SetChild(components[count - 1], directory);
        parent.LinkCount++;
        return directory;
    }

    private LayerNode NewNode(uint mode, int linkCount)
    {
        var node = new LayerNode((uint)_nodes.Count + 1, mode) { LinkCount = linkCount };
        _nodes.Add(node);
        return node;
    }

    private static void Describe(LayerNode node, FileMetadata file, string type)
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
}
