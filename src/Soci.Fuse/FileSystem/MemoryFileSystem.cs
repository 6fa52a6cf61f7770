using System.Text;

namespace Soci.Fuse.FileSystem;

/// <summary>
/// A read-only filesystem built in memory before it is mounted: directories, files, symlinks, device nodes
/// and xattrs. Inode numbers are assigned from the root's number upwards. Directory offsets are positions in
/// the name-sorted listing, so they stay valid for as long as the tree does not change.
/// </summary>
public class MemoryFileSystem : FuseFileSystem
{
    private const long DotEntries = 2;
    private readonly Dictionary<ulong, MemoryNode> _nodes = [];
    private ulong _nextIno;

    public MemoryFileSystem(ulong rootInode = 1)
    {
        Root = new MemoryNode(rootInode, FileModes.Directory | 0x1ED, parent: null);
        _nodes[rootInode] = Root;
        _nextIno = rootInode + 1;
    }

    public MemoryNode Root { get; }

    public override ulong RootInode => Root.Ino;

    /// <summary>Extended attributes are served unless this is false (then xattr calls get ENOSYS).</summary>
    public bool XattrsEnabled { get; init; } = true;

    public MemoryNode AddDirectory(string path, uint permissions = 0x1ED) =>
        Add(path, FileModes.Directory | permissions);

    public MemoryNode AddFile(string path, IFileContent content, uint permissions = 0x1A4)
    {
        var node = Add(path, FileModes.Regular | permissions);
        node.Content = content;
        node.Attributes.Size = (ulong)content.Length;
        node.Attributes.Blocks = ((ulong)content.Length + 4095) / 4096 * 8;
        return node;
    }

    public MemoryNode AddFile(string path, string text, uint permissions = 0x1A4) =>
        AddFile(path, new BytesContent(Encoding.UTF8.GetBytes(text)), permissions);

    public MemoryNode AddSymlink(string path, string target)
    {
        var node = Add(path, FileModes.Symlink | 0x1FF);
        node.LinkTarget = Encoding.UTF8.GetBytes(target);
        node.Attributes.Size = (ulong)node.LinkTarget.Length;
        return node;
    }

    /// <summary>Adds a device node, FIFO or socket; <paramref name="mode"/> includes the type bits.</summary>
    public MemoryNode AddSpecial(string path, uint mode, uint major = 0, uint minor = 0)
    {
        var node = Add(path, mode);
        node.Attributes.Rdev = FuseAttributes.EncodeDevice(major, minor);
        return node;
    }

    public MemoryNode? Find(string path)
    {
        var node = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.Child(part);
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    public override int Lookup(ulong parent, ReadOnlySpan<byte> name, out FuseEntry entry, FuseRequestContext context)
    {
        entry = default;
        if (!_nodes.TryGetValue(parent, out var directory))
        {
            return Errno.ENOENT;
        }
        if (!directory.IsDirectory)
        {
            return Errno.ENOTDIR;
        }
        var child = directory.Child(Encoding.UTF8.GetString(name));
        if (child is null)
        {
            return Errno.ENOENT;
        }
        entry = new FuseEntry { Attributes = child.Attributes };
        return 0;
    }

    public override int GetAttr(ulong ino, out FuseAttributes attributes, FuseRequestContext context)
    {
        if (!_nodes.TryGetValue(ino, out var node))
        {
            attributes = default;
            return Errno.ENOENT;
        }
        attributes = node.Attributes;
        return 0;
    }

    public override int ReadLink(ulong ino, out ReadOnlyMemory<byte> target, FuseRequestContext context)
    {
        target = default;
        if (!_nodes.TryGetValue(ino, out var node) || node.LinkTarget is null)
        {
            return Errno.EINVAL;
        }
        target = node.LinkTarget;
        return 0;
    }

    public override int Open(ulong ino, int flags, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        options = FuseOpenOptions.None;
        if (!_nodes.TryGetValue(ino, out var node))
        {
            return Errno.ENOENT;
        }
        if (node.Content is null)
        {
            return Errno.EIO;
        }
        options = node.OpenOptions;
        return 0;
    }

    public override int Read(ulong ino, ulong fileHandle, long offset, Span<byte> buffer, out int bytesRead, FuseRequestContext context)
    {
        bytesRead = 0;
        if (!_nodes.TryGetValue(ino, out var node) || node.Content is null)
        {
            return Errno.EIO;
        }
        bytesRead = node.Content.Read(offset, buffer);
        return 0;
    }

    public override int OpenDir(ulong ino, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        options = FuseOpenOptions.CacheDir;
        return _nodes.TryGetValue(ino, out var node) ? (node.IsDirectory ? 0 : Errno.ENOTDIR) : Errno.ENOENT;
    }

    public override int ReadDir(ulong ino, ulong fileHandle, long offset, FuseDirectoryWriter writer, FuseRequestContext context)
    {
        if (!_nodes.TryGetValue(ino, out var directory))
        {
            return Errno.ENOENT;
        }
        if (offset < 1 && !writer.TryAdd("."u8, new FuseEntry { Attributes = directory.Attributes }, 1))
        {
            return 0;
        }
        if (offset < 2 && !writer.TryAdd(".."u8, new FuseEntry { Attributes = directory.Parent.Attributes }, 2))
        {
            return 0;
        }
        var children = directory.SortedChildren;
        for (var i = Math.Max(0, offset - DotEntries); i < children.Length; i++)
        {
            var child = children[i];
            if (!writer.TryAdd(child.Key, new FuseEntry { Attributes = child.Value.Attributes }, i + DotEntries + 1))
            {
                break;
            }
        }
        return 0;
    }

    public override int GetXattr(ulong ino, string name, out ReadOnlyMemory<byte> value, FuseRequestContext context)
    {
        value = default;
        if (!XattrsEnabled)
        {
            return Errno.ENOSYS;
        }
        if (!_nodes.TryGetValue(ino, out var node))
        {
            return Errno.ENOENT;
        }
        if (!node.Xattrs.TryGetValue(name, out var bytes))
        {
            return Errno.ENODATA;
        }
        value = bytes;
        return 0;
    }

    public override int ListXattr(ulong ino, ICollection<string> names, FuseRequestContext context)
    {
        if (!XattrsEnabled)
        {
            return Errno.ENOSYS;
        }
        if (!_nodes.TryGetValue(ino, out var node))
        {
            return Errno.ENOENT;
        }
        foreach (var name in node.Xattrs.Keys.Order(StringComparer.Ordinal))
        {
            names.Add(name);
        }
        return 0;
    }

    private MemoryNode Add(string path, uint mode)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"path '{path}' names the root", nameof(path));
        }
        var parent = Root;
        foreach (var part in parts[..^1])
        {
            parent = parent.Child(part) ?? Add(parent, part, FileModes.Directory | 0x1ED);
            if (!parent.IsDirectory)
            {
                throw new ArgumentException($"'{part}' in '{path}' is not a directory", nameof(path));
            }
        }
        if (parent.Child(parts[^1]) is { } existing)
        {
            throw new ArgumentException($"'{path}' already exists (inode {existing.Ino})", nameof(path));
        }
        return Add(parent, parts[^1], mode);
    }

    private MemoryNode Add(MemoryNode parent, string name, uint mode)
    {
        var node = new MemoryNode(_nextIno++, mode, parent);
        _nodes[node.Ino] = node;
        parent.AddChild(name, node);
        return node;
    }
}
