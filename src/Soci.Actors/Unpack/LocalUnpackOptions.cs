namespace Soci.Actors.Unpack;

/// <summary>What a local unpack checks.</summary>
public sealed record LocalUnpackOptions
{
    /// <summary>The layer (compressed blob) digest; null skips the check.</summary>
    public string? BlobDigest { get; init; }

    /// <summary>The uncompressed tar's digest from the image config's <c>rootfs.diff_ids</c>; null skips the check.</summary>
    public string? DiffId { get; init; }
}
