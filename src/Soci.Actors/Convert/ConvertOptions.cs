using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Actors.Conversion;

/// <summary>What <c>soci convert</c> builds: which platforms, and the index build settings (the version is always v2).</summary>
public sealed record ConvertOptions
{
    public SociIndexBuildOptions Build { get; init; } = new();

    /// <summary>Every platform the source declares (attestations and other unknown platforms excluded).</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>Explicit platforms (parsed with <see cref="ConvertPlatforms.ParseFlag"/>); empty means the default.</summary>
    public IReadOnlyList<OciPlatform> Platforms { get; init; } = [];

    /// <summary>The default for an index source: the host's platform.</summary>
    public OciPlatform HostPlatform { get; init; } = OciPlatform.Host;
}
