namespace Soci.Actors.Snapshotter.Remote;

/// <summary>
/// Brings the two label schemes clients use for remote layers onto one: CRI sends the cri.* set; `ctr-remote image
/// rpull` sends only stargz.reference/digest/layers (no manifest digest). The cri.* labels missing are derived from
/// the stargz ones; the manifest digest, which no stargz label carries, is left for the filesystem to resolve from
/// the image reference.
/// </summary>
public static class RemoteLayerLabels
{
    /// <summary>The labels with cri.* filled in, or null when they name no image and layer (nothing to mount remotely).</summary>
    public static IReadOnlyDictionary<string, string>? Normalize(IReadOnlyDictionary<string, string> labels)
    {
        var normalized = new Dictionary<string, string>(labels);
        Derive(normalized, SnapshotLabels.ImageReference, SnapshotLabels.StargzReference);
        Derive(normalized, SnapshotLabels.LayerDigest, SnapshotLabels.StargzDigest);
        Derive(normalized, SnapshotLabels.ImageLayers, SnapshotLabels.StargzLayers);
        return HasValue(normalized, SnapshotLabels.ImageReference) && HasValue(normalized, SnapshotLabels.LayerDigest)
            ? normalized
            : null;
    }

    /// <summary>The layer size from <c>soci.size</c>, or null when absent; a value that is not a size is an error.</summary>
    public static long? LayerSize(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(SnapshotLabels.SociSize, out var text) || text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size)
            ? size
            : throw SnapshotException.InvalidArgument($"label {SnapshotLabels.SociSize} = \"{text}\" is not a layer size in bytes");
    }

    private static void Derive(Dictionary<string, string> labels, string target, string source)
    {
        if (!HasValue(labels, target) && labels.TryGetValue(source, out var value) && value.Length > 0)
        {
            labels[target] = value;
        }
    }

    private static bool HasValue(Dictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) && value.Length > 0;
}
