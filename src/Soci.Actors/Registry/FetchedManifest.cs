using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Registry;

/// <summary>A manifest or index as the registry served it: its descriptor and the exact (digest-verified) bytes.</summary>
public sealed record FetchedManifest(OciDescriptor Descriptor, byte[] Bytes)
{
    public bool IsIndex => OciMediaTypes.IsIndex(Descriptor.MediaType);

    public OciManifest AsManifest() => OciJson.Parse<OciManifest>(Bytes, $"manifest {Descriptor.Digest}");

    public OciIndex AsIndex() => OciJson.Parse<OciIndex>(Bytes, $"index {Descriptor.Digest}");
}

/// <summary>An image resolved for one platform: the reference's root (manifest or index) and the platform manifest.</summary>
public sealed record ResolvedImage(FetchedManifest Root, FetchedManifest Manifest)
{
    public OciManifest Parsed => Manifest.AsManifest();
}
