using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Conversion;

/// <summary>The SOCI-enabled image: the new OCI index, the re-serialized manifests it lists, and each SOCI index binding.</summary>
public sealed record BoundImage(
    OciDescriptor Index,
    byte[] IndexBytes,
    IReadOnlyList<RewrittenManifest> Manifests,
    IReadOnlyList<SociIndexBinding> Bindings);

/// <summary>A platform manifest re-serialized as an OCI manifest (annotated when a SOCI index was built for it).</summary>
public sealed record RewrittenManifest(OciDescriptor Descriptor, byte[] Bytes, OciManifest Manifest);

/// <summary>A v2 SOCI index and the annotated manifest that names it.</summary>
public sealed record SociIndexBinding(OciDescriptor SociIndex, OciDescriptor AnnotatedManifest, OciPlatform Platform);
