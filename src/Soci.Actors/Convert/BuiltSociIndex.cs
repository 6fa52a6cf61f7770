using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Actors.Conversion;

/// <summary>A v2 SOCI index built for one platform manifest of the source image.</summary>
/// <param name="ImageManifest">The source's platform manifest descriptor (before annotation).</param>
/// <param name="Platform">The platform the index was built for; written on its descriptor in the OCI index.</param>
public sealed record BuiltSociIndex(OciDescriptor ImageManifest, OciPlatform Platform, SociIndexBuildResult Index);
