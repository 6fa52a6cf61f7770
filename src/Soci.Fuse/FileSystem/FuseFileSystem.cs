namespace Soci.Fuse.FileSystem;

/// <summary>
/// A read-only filesystem served over FUSE. Nodes are addressed by the inode numbers the filesystem chooses
/// (<see cref="RootInode"/> for the root). Every operation returns 0 or an errno from <see cref="Errno"/>;
/// the default implementations return ENOSYS, which the kernel remembers so it stops asking.
/// Operations run concurrently on several serving threads and must be thread-safe.
/// The library counts kernel lookups per inode and calls <see cref="Forget"/> when the kernel drops the last one.
/// </summary>
public abstract class FuseFileSystem
{
    /// <summary>The inode number of the root directory (the kernel's node id 1 maps to it).</summary>
    public abstract ulong RootInode { get; }

    /// <summary>Resolves <paramref name="name"/> (raw bytes, no NUL) in directory <paramref name="parent"/>.</summary>
    public virtual int Lookup(ulong parent, ReadOnlySpan<byte> name, out FuseEntry entry, FuseRequestContext context)
    {
        entry = default;
        return Errno.ENOSYS;
    }

    public abstract int GetAttr(ulong ino, out FuseAttributes attributes, FuseRequestContext context);

    /// <summary>Returns the target of a symbolic link.</summary>
    public virtual int ReadLink(ulong ino, out ReadOnlyMemory<byte> target, FuseRequestContext context)
    {
        target = default;
        return Errno.ENOSYS;
    }

    /// <summary>Opens a file; <paramref name="fileHandle"/> comes back in Read, Seek, Poll and Release.</summary>
    public virtual int Open(ulong ino, int flags, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        options = FuseOpenOptions.KeepCache;
        return 0;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; fewer bytes than asked means end
    /// of file. Honour <see cref="FuseRequestContext.Interrupted"/> on slow paths by returning EINTR.</summary>
    public abstract int Read(ulong ino, ulong fileHandle, long offset, Span<byte> buffer, out int bytesRead, FuseRequestContext context);

    public virtual void Release(ulong ino, ulong fileHandle)
    {
    }

    public virtual int OpenDir(ulong ino, out ulong fileHandle, out FuseOpenOptions options, FuseRequestContext context)
    {
        fileHandle = 0;
        options = FuseOpenOptions.None;
        return 0;
    }

    /// <summary>
    /// Lists directory entries starting after the entry whose next-offset was <paramref name="offset"/> (0 =
    /// from the start), adding them to <paramref name="writer"/> until it reports full. Offsets must be
    /// stable for the life of an open directory so that telldir/seekdir work.
    /// </summary>
    public abstract int ReadDir(ulong ino, ulong fileHandle, long offset, FuseDirectoryWriter writer, FuseRequestContext context);

    public virtual void ReleaseDir(ulong ino, ulong fileHandle)
    {
    }

    /// <summary>Returns the value of extended attribute <paramref name="name"/>, ENODATA if absent, or ENOSYS
    /// to turn extended attributes off for the whole mount. The library answers size probes and ERANGE.</summary>
    public virtual int GetXattr(ulong ino, string name, out ReadOnlyMemory<byte> value, FuseRequestContext context)
    {
        value = default;
        return Errno.ENOSYS;
    }

    /// <summary>Adds the node's extended attribute names to <paramref name="names"/>.</summary>
    public virtual int ListXattr(ulong ino, ICollection<string> names, FuseRequestContext context) => Errno.ENOSYS;

    public virtual int StatFs(ulong ino, out FuseStatFs statFs, FuseRequestContext context)
    {
        statFs = new FuseStatFs { BlockSize = 4096, FragmentSize = 4096, NameLength = 255 };
        return 0;
    }

    /// <summary>access(2) for mounts without default_permissions; <paramref name="mask"/> is R_OK|W_OK|X_OK.</summary>
    public virtual int Access(ulong ino, int mask, FuseRequestContext context) => (mask & 2) != 0 ? Errno.EROFS : 0;

    /// <summary>SEEK_DATA (3) / SEEK_HOLE (4) on a file; the default treats every file as one data extent.</summary>
    public virtual int Seek(ulong ino, ulong fileHandle, long offset, int whence, out long result, FuseRequestContext context)
    {
        result = 0;
        var rc = GetAttr(ino, out var attributes, context);
        if (rc != 0)
        {
            return rc;
        }
        var size = (long)attributes.Size;
        if (offset < 0 || offset >= size)
        {
            return Errno.ENXIO;
        }
        result = whence == SeekWhence.Hole ? size : offset;
        return whence is SeekWhence.Data or SeekWhence.Hole ? 0 : Errno.EINVAL;
    }

    /// <summary>poll(2) readiness; the default reports a regular file as always readable.</summary>
    public virtual int Poll(ulong ino, ulong fileHandle, uint events, out uint readyEvents, FuseRequestContext context)
    {
        const uint PollIn = 0x1;
        const uint PollRdNorm = 0x40;
        readyEvents = events & (PollIn | PollRdNorm);
        return 0;
    }

    /// <summary>Called when the kernel has dropped every reference it got from Lookup/ReadDirPlus to the node.</summary>
    public virtual void Forget(ulong ino)
    {
    }
}

/// <summary>lseek(2) whence values the kernel forwards to FUSE.</summary>
public static class SeekWhence
{
    public const int Data = 3;
    public const int Hole = 4;
}
