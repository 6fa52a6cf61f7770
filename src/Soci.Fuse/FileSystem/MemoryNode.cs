namespace Soci.Fuse.FileSystem;

/// <summary>One node of a <see cref="MemoryFileSystem"/>.</summary>
public sealed class MemoryNode
{
    private readonly Dictionary<string, MemoryNode> _children = new(StringComparer.Ordinal);
    private KeyValuePair<string, MemoryNode>[]? _sorted;

    internal MemoryNode(ulong ino, uint mode, MemoryNode? parent)
    {
        Attributes = new FuseAttributes { Ino = ino, Mode = mode, Nlink = (mode & FileModes.TypeMask) == FileModes.Directory ? 2u : 1u, BlockSize = 4096 };
        Parent = parent ?? this;
    }

    public FuseAttributes Attributes;

    public MemoryNode Parent { get; }
    public ulong Ino => Attributes.Ino;
    public bool IsDirectory => (Attributes.Mode & FileModes.TypeMask) == FileModes.Directory;

    /// <summary>The bytes of a regular file (see <see cref="IFileContent"/>).</summary>
    public IFileContent? Content { get; internal set; }

    public byte[]? LinkTarget { get; internal set; }

    /// <summary>Extended attributes served by getxattr/listxattr.</summary>
    public Dictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);

    /// <summary>Caching choices returned when this file is opened.</summary>
    public FuseOpenOptions OpenOptions { get; set; } = FuseOpenOptions.KeepCache;

    public MemoryNode? Child(string name) => _children.GetValueOrDefault(name);

    /// <summary>Children in byte order of their names; index i is listed at directory offset i + 3.</summary>
    internal KeyValuePair<string, MemoryNode>[] SortedChildren
    {
        get
        {
            var sorted = Volatile.Read(ref _sorted);
            if (sorted is null)
            {
                sorted = [.. _children.OrderBy(c => c.Key, StringComparer.Ordinal)];
                Volatile.Write(ref _sorted, sorted);
            }
            return sorted;
        }
    }

    internal void AddChild(string name, MemoryNode child)
    {
        _children[name] = child;
        _sorted = null;
        if (child.IsDirectory)
        {
            Attributes.Nlink++;
        }
    }
}

/// <summary>The content of a regular file in a <see cref="MemoryFileSystem"/>.</summary>
public interface IFileContent
{
    long Length { get; }

    /// <summary>Copies bytes from <paramref name="offset"/>; returns how many (0 at end of file).</summary>
    int Read(long offset, Span<byte> destination);
}

/// <summary>File content held in memory.</summary>
public sealed class BytesContent(ReadOnlyMemory<byte> bytes) : IFileContent
{
    public long Length => bytes.Length;

    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= bytes.Length)
        {
            return 0;
        }
        var n = (int)Math.Min(destination.Length, bytes.Length - offset);
        bytes.Span.Slice((int)offset, n).CopyTo(destination);
        return n;
    }
}

/// <summary>A large file whose bytes repeat a block held in memory (byte at offset o = block[o % block length]).</summary>
public sealed class RepeatingContent(ReadOnlyMemory<byte> block, long length) : IFileContent
{
    public long Length => length;

    public int Read(long offset, Span<byte> destination)
    {
        var total = 0;
        var source = block.Span;
        while (total < destination.Length && offset + total < length)
        {
            var at = (int)((offset + total) % source.Length);
            var n = (int)Math.Min(Math.Min(source.Length - at, destination.Length - total), length - offset - total);
            source.Slice(at, n).CopyTo(destination[total..]);
            total += n;
        }
        return total;
    }
}
