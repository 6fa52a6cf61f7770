using System.Collections.Concurrent;
using System.Text;
using Soci.Actors.Layers.Metadata;
using Soci.Actors.Layers.Spans;
using Soci.Formats.Toc;
using Soci.Fuse;
using Soci.Fuse.FileSystem;

namespace Soci.Actors.Layers.FileSystem;

/// <summary>
/// A layer's files over FUSE the way overlayfs needs them as a lower directory (algorithms §8): inode = 3 + node id,
/// whiteouts shown as 0:0 character devices, opaque directories through an xattr, file data read through the span
/// manager. Inode 1 is the state directory <c>/.soci-snapshotter</c> and inode 2 its state file.
/// </summary>
public sealed class LayerFileSystem : FuseFileSystem
{
    public const string StateDirectoryName = ".soci-snapshotter";
    private const ulong StateDirectoryInode = 1;
    private const ulong StateFileInode = 2;
    private const ulong InodeOffset = 3;
    private static readonly byte[] OpaqueValue = "y"u8.ToArray();
    private static readonly byte[] StateDirectoryNameBytes = Encoding.UTF8.GetBytes(StateDirectoryName);

    private readonly LayerMetadata _metadata;
    private readonly SpanManager _spans;
    private readonly LayerFileSystemOptions _options;
    private readonly byte[] _stateFileName;
    private readonly ConcurrentDictionary<uint, DirectoryListing> _listings = new();

    public LayerFileSystem(LayerMetadata metadata, SpanManager spans, LayerState state, LayerFileSystemOptions options)
    {
        _metadata = metadata;
        _spans = spans;
        _options = options;
        State = state;
        _stateFileName = Encoding.UTF8.GetBytes(options.LayerDigest + ".json");
    }

    public LayerState State { get; }

    public override ulong RootInode => InodeOf(_metadata.Root);

    public static ulong InodeOf(LayerNode node) => InodeOffset + node.Id;

    public override int Lookup(ulong parent, ReadOnlySpan<byte> name, out FuseEntry entry, FuseRequestContext context)
    {
        entry = default;
        if (parent == StateDirectoryInode)
        {
            if (!name.SequenceEqual(_stateFileName))
            {
                return Errno.ENOENT;
            }
            entry.Attributes = StateFileAttributes();
            return 0;
        }
        if (NodeOf(parent) is not { } directory)
        {
            return Errno.ENOENT;
        }
        if (!directory.IsDirectory)
        {
            return Errno.ENOTDIR;
        }
        if (Whiteouts.HasPrefix(name))
        {
            return Errno.ENOENT;
        }
        if (directory == _metadata.Root && name.SequenceEqual(StateDirectoryNameBytes))
        {
            entry.Attributes = StateDirectoryAttributes();
            return 0;
        }
        if (directory.TryGetChild(name, out var child))
        {
            entry.Attributes = AttributesOf(child);
            return 0;
        }
        if (directory.TryGetChild(Whiteouts.WhiteoutOf(name).Span, out var whiteout))
        {
            entry.Attributes = AttributesOf(whiteout);
            return 0;
        }
        return Errno.ENOENT;
    }

    public override int GetAttr(ulong ino, out FuseAttributes attributes, FuseRequestContext context)
    {
        attributes = default;
        switch (ino)
        {
            case StateDirectoryInode:
                attributes = StateDirectoryAttributes();
                return 0;
            case StateFileInode:
                attributes = StateFileAttributes();
                return 0;
        }
        if (NodeOf(ino) is not { } node)
        {
            return Errno.ENOENT;
        }
        attributes = AttributesOf(node);
        return 0;
    }

    public override int ReadLink(ulong ino, out ReadOnlyMemory<byte> target, FuseRequestContext context)
    {
        target = default;
        if (NodeOf(ino) is not { FileType: FileTypes.Symlink } node)
        {
            return Errno.EINVAL;
        }
        target = node.LinkName.ToArray();
        return 0;
    }

    public override int Open(ulong ino, int flags, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        // Layer content never changes, so pages the kernel already holds stay valid across opens.
        options = FuseOpenOptions.KeepCache;
        if (ino == StateFileInode)
        {
            options = FuseOpenOptions.DirectIo;
            return 0;
        }
        return NodeOf(ino) is { IsRegularFile: true, IsWhiteout: false } ? 0 : Errno.EIO;
    }

    public override int Read(ulong ino, ulong fileHandle, long offset, Span<byte> buffer, out int bytesRead, FuseRequestContext context)
    {
        bytesRead = 0;
        if (ino == StateFileInode)
        {
            var content = State.Render();
            bytesRead = offset >= content.Length ? 0 : Math.Min(buffer.Length, content.Length - (int)offset);
            content.AsSpan((int)Math.Min(offset, content.Length), bytesRead).CopyTo(buffer);
            return 0;
        }
        if (NodeOf(ino) is not { IsRegularFile: true } node)
        {
            return Errno.EIO;
        }
        if (offset >= node.Size)
        {
            return 0;
        }
        var count = (int)Math.Min(buffer.Length, node.Size - offset);
        try
        {
            _spans.Read(node.DataOffset + offset, buffer[..count], context.Interrupted);
        }
        catch (OperationCanceledException) when (context.Interrupted.IsCancellationRequested)
        {
            return Errno.EINTR;
        }
        catch (Exception error)
        {
            State.ReportFailure($"failed to read inode {ino}: {error.Message}");
            return Errno.EIO;
        }
        bytesRead = count;
        return 0;
    }

    public override int OpenDir(ulong ino, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        options = FuseOpenOptions.CacheDir | FuseOpenOptions.KeepCache;
        if (ino == StateDirectoryInode)
        {
            return 0;
        }
        return NodeOf(ino) switch
        {
            null => Errno.ENOENT,
            { IsDirectory: false } => Errno.ENOTDIR,
            _ => 0,
        };
    }

    public override int ReadDir(ulong ino, ulong fileHandle, long offset, FuseDirectoryWriter writer, FuseRequestContext context)
    {
        if (ino == StateDirectoryInode)
        {
            var self = new FuseEntry { Attributes = StateDirectoryAttributes() };
            _ = (offset < 1 && writer.TryAdd("."u8, self, 1))
                && (offset < 2 && writer.TryAdd(".."u8, self, 2))
                && (offset < 3 && writer.TryAdd(_stateFileName, new FuseEntry { Attributes = StateFileAttributes() }, 3));
            return 0;
        }
        if (NodeOf(ino) is not { IsDirectory: true } directory)
        {
            return Errno.ENOTDIR;
        }
        var dot = new FuseEntry { Attributes = AttributesOf(directory) };
        if (offset < 1 && !writer.TryAdd("."u8, dot, 1))
        {
            return 0;
        }
        if (offset < 2 && !writer.TryAdd(".."u8, dot, 2))
        {
            return 0;
        }
        var listing = _listings.GetOrAdd(directory.Id, _ => DirectoryListing.Of(directory));
        for (var i = (int)Math.Max(0, offset - 2); i < listing.Names.Length; i++)
        {
            if (!writer.TryAdd(listing.Names[i].Span, new FuseEntry { Attributes = AttributesOf(listing.Nodes[i]) }, i + 3))
            {
                break;
            }
        }
        return 0;
    }

    public override int GetXattr(ulong ino, string name, out ReadOnlyMemory<byte> value, FuseRequestContext context)
    {
        value = default;
        if (_options.DisableXattrs)
        {
            return Errno.ENOSYS;
        }
        if (NodeOf(ino) is not { } node)
        {
            return ino is StateDirectoryInode or StateFileInode ? Errno.ENODATA : Errno.ENOENT;
        }
        if (IsOpaque(node) && OpaqueNames().Contains(name))
        {
            value = OpaqueValue;
            return 0;
        }
        if (node.IsWhiteout || !node.Xattrs.TryGetValue(name, out var stored))
        {
            return Errno.ENODATA;
        }
        value = stored.Span.ToArray();
        return 0;
    }

    public override int ListXattr(ulong ino, ICollection<string> names, FuseRequestContext context)
    {
        if (_options.DisableXattrs)
        {
            return Errno.ENOSYS;
        }
        if (NodeOf(ino) is not { } node)
        {
            return ino is StateDirectoryInode or StateFileInode ? 0 : Errno.ENOENT;
        }
        if (IsOpaque(node))
        {
            foreach (var name in OpaqueNames())
            {
                names.Add(name);
            }
        }
        if (!node.IsWhiteout)
        {
            foreach (var name in node.Xattrs.Keys)
            {
                names.Add(name);
            }
        }
        return 0;
    }

    private LayerNode? NodeOf(ulong ino) =>
        ino > InodeOffset && ino - InodeOffset <= uint.MaxValue ? _metadata.Node((uint)(ino - InodeOffset)) : null;

    private static bool IsOpaque(LayerNode node) =>
        node.IsDirectory && node.TryGetChild(Whiteouts.OpaqueMarker, out _);

    private string[] OpaqueNames() => _options.OpaqueXattr switch
    {
        OpaqueXattrMode.User => ["user.overlay.opaque"],
        OpaqueXattrMode.Both => ["trusted.overlay.opaque", "user.overlay.opaque"],
        _ => ["trusted.overlay.opaque"],
    };

    private static FuseAttributes AttributesOf(LayerNode node)
    {
        if (node.IsWhiteout)
        {
            return new FuseAttributes
            {
                Ino = InodeOf(node),
                Mode = FileModes.Character,
                Nlink = 1,
                BlockSize = 4096,
                Mtime = TimeOf(node.ModTime),
            };
        }
        var size = node.FileType == FileTypes.Symlink ? (ulong)node.LinkName.Length : (ulong)Math.Max(0, node.Size);
        return new FuseAttributes
        {
            Ino = InodeOf(node),
            Size = size,
            Blocks = (size + 4095) / 4096 * 8,
            Mode = node.Mode,
            Nlink = (uint)Math.Max(1, node.LinkCount),
            Uid = node.Uid,
            Gid = node.Gid,
            Rdev = FuseAttributes.EncodeDevice(node.DevMajor, node.DevMinor),
            BlockSize = 4096,
            Mtime = TimeOf(node.ModTime),
        };
    }

    private static FuseTime TimeOf(ZtocTime time) => new(time.UnixSeconds, (uint)time.Nanoseconds);

    private static FuseAttributes StateDirectoryAttributes() => new()
    {
        Ino = StateDirectoryInode,
        Mode = FileModes.Directory | 0x140, // 0500
        Nlink = 1,
        BlockSize = 4096,
    };

    private FuseAttributes StateFileAttributes() => new()
    {
        Ino = StateFileInode,
        Mode = FileModes.Regular | 0x100, // 0400
        Nlink = 1,
        Size = (ulong)State.Render().Length,
        BlockSize = 4096,
    };
}
