using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>One platform's image manifest within an image: what a SOCI index is built for.</summary>
public sealed record PlatformImage(OciPlatform Platform, OciDescriptor ManifestDescriptor, OciManifest Manifest);
