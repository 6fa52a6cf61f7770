namespace Soci.Actors.Runtime.Contexts;

/// <summary>The ztoc of one image layer as the SOCI index lists it.</summary>
public sealed record ZtocReference(string LayerDigest, string ZtocDigest, long ZtocSize, bool DisableXattrs) : ISociMessage;

/// <summary>
/// The outcome of fetching one image's SOCI artifacts (snapshotter.md §6.3): the index and which layer has which
/// ztoc, every ztoc stored in the local content store. Immutable; shared by every mount of the image.
/// </summary>
public sealed record SociContext(string Reference, string ManifestDigest, string IndexDigest, IReadOnlyDictionary<string, ZtocReference> Ztocs)
    : ISociMessage
{
    public ZtocReference? ZtocFor(string layerDigest) => Ztocs.GetValueOrDefault(layerDigest);
}
