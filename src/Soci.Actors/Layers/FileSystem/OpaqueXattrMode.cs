namespace Soci.Actors.Layers.FileSystem;

/// <summary>Which xattr name marks an opaque directory for overlayfs (algorithms §8.4).</summary>
public enum OpaqueXattrMode
{
    /// <summary><c>trusted.overlay.opaque</c> (the default).</summary>
    Trusted,

    /// <summary><c>user.overlay.opaque</c>, for overlayfs mounted with <c>userxattr</c>.</summary>
    User,

    /// <summary>Both names (tests).</summary>
    Both,
}
