namespace Soci.Fuse;

/// <summary>How a FUSE filesystem is mounted and how long the kernel may cache what it serves.</summary>
public sealed record FuseMountOptions
{
    /// <summary>The source column of /proc/mounts.</summary>
    public string FsName { get; init; } = "soci";

    /// <summary>The mount type is <c>fuse.&lt;Subtype&gt;</c>.</summary>
    public string Subtype { get; init; } = "soci";

    public bool ReadOnly { get; init; } = true;
    public bool AllowOther { get; init; } = true;

    /// <summary>Let the kernel check permissions from the reported modes instead of asking ACCESS.</summary>
    public bool DefaultPermissions { get; init; } = true;

    public TimeSpan EntryTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AttributeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a failed lookup is cached; zero disables negative entries.</summary>
    public TimeSpan NegativeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many dedicated threads block in read(2) on the FUSE device; they start on demand.</summary>
    public int ServingThreads { get; init; } = 4;

    public FuseMountMethod Method { get; init; } = FuseMountMethod.Auto;
}

/// <summary>How the mount is made.</summary>
public enum FuseMountMethod
{
    /// <summary>mount(2) directly, falling back to fusermount3 when that is not permitted.</summary>
    Auto,
    Direct,
    Fusermount,
}

/// <summary>How a mount is taken down.</summary>
public enum FuseUnmountMode
{
    /// <summary>umount2 without flags: fails with EBUSY while the mount is in use.</summary>
    Normal,
    /// <summary>MNT_DETACH: detach now, finish when the last user leaves.</summary>
    Detach,
    /// <summary>MNT_FORCE: abort pending requests, then unmount.</summary>
    Force,
    /// <summary>Abort the connection through /sys/fs/fuse/connections/N/abort, then detach.</summary>
    Abort,
}
