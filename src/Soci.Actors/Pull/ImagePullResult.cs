namespace Soci.Actors.Pull;

/// <summary>One layer of a finished pull.</summary>
public sealed record PulledLayer(string Digest, long Size, string DiffId, string ChainId, LayerPullOutcome Outcome);

/// <summary>
/// A finished pull: the containerd image record's name and target (the reference's root manifest or index), the
/// platform manifest used, and what happened to each layer, bottom up.
/// </summary>
public sealed record ImagePullResult(string ImageName, string TargetDigest, string ManifestDigest, string ConfigDigest, IReadOnlyList<PulledLayer> Layers)
{
    public long BytesDownloaded => Layers.Where(layer => layer.Outcome == LayerPullOutcome.Unpacked).Sum(layer => layer.Size);
}
