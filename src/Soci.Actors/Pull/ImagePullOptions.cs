using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Pull;

/// <summary>What <see cref="ImagePuller"/> pulls and into which snapshotter.</summary>
public sealed record ImagePullOptions
{
    /// <summary>The platform picked from a multi-platform image; the host's by default.</summary>
    public OciPlatform Platform { get; init; } = OciPlatform.Host;

    /// <summary>An explicit SOCI index digest handed to the snapshotter; null lets the snapshotter discover one.</summary>
    public string? SociIndexDigest { get; init; }

    /// <summary>The containerd snapshotter the layers go into (the name of our proxy plugin).</summary>
    public string Snapshotter { get; init; } = "soci";

    /// <summary>Layer blobs downloaded at once for layers that must be unpacked.</summary>
    public int ConcurrentDownloads { get; init; } = 3;
}
