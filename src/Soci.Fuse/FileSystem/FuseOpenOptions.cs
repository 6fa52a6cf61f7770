namespace Soci.Fuse.FileSystem;

/// <summary>Per-open caching choices returned by Open and OpenDir (FOPEN_* bits).</summary>
[Flags]
public enum FuseOpenOptions : uint
{
    None = 0,
    /// <summary>Bypass the page cache: every read reaches the filesystem, in the caller's size.</summary>
    DirectIo = 1 << 0,
    /// <summary>Keep the page cache from earlier opens (the content never changes).</summary>
    KeepCache = 1 << 1,
    NonSeekable = 1 << 2,
    /// <summary>Let the kernel cache the directory listing (OpenDir only).</summary>
    CacheDir = 1 << 3,
}
