using Soci.Actors.Runtime.Contexts;

namespace Soci.Actors.Runtime.Layers;

/// <summary>Names a resolved layer: <c>&lt;image ref&gt;/&lt;layer digest&gt;</c> (snapshotter.md §7).</summary>
public sealed record LayerKey(string Reference, string LayerDigest) : ISociMessage
{
    public override string ToString() => $"{Reference}/{LayerDigest}";
}

/// <summary>Everything needed to resolve one layer: its image's SOCI context, its ztoc and its size (0 = unknown).</summary>
public sealed record LayerRequest(LayerKey Key, SociContext Context, ZtocReference Ztoc, long LayerSize) : ISociMessage
{
    public static LayerRequest For(SociContext context, ZtocReference ztoc, long layerSize) =>
        new(new LayerKey(context.Reference, ztoc.LayerDigest), context, ztoc, layerSize);
}
