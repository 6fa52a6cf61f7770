namespace Soci.Actors.Layers.FileSystem;

/// <summary>How a layer is presented over FUSE.</summary>
public sealed record LayerFileSystemOptions
{
    /// <summary>The layer digest; names the state file <c>/.soci-snapshotter/&lt;digest&gt;.json</c>.</summary>
    public required string LayerDigest { get; init; }

    public OpaqueXattrMode OpaqueXattr { get; init; } = OpaqueXattrMode.Trusted;

    /// <summary>From the ztoc descriptor's <c>com.amazon.soci.disable-xattrs</c>: every xattr call gets ENOSYS.</summary>
    public bool DisableXattrs { get; init; }
}
