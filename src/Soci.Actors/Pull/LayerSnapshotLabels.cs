using System.Globalization;
using System.Text;
using Soci.Actors.Containerd;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Snapshotter;

namespace Soci.Actors.Pull;

/// <summary>
/// The labels a layer's Prepare carries so the snapshotter can mount it remotely (snapshotter.md §4): the target
/// chainID, the cri.* image labels CRI sends, the layer sizes a SOCI-aware client adds, and the explicit SOCI index
/// digest when one was given.
/// </summary>
public static class LayerSnapshotLabels
{
    public const string ImageLayersSize = "containerd.io/snapshot/remote/image.layers.size";

    public static Dictionary<string, string> ForPrepare(string imageReference, string manifestDigest, IReadOnlyList<OciDescriptor> layers, int index,
        string chainId, string? sociIndexDigest)
    {
        var following = layers.Skip(index).ToList();
        var digests = FitToLabel(SnapshotLabels.ImageLayers, following.Select(layer => layer.Digest));
        var sizes = following.Take(digests.Count).Select(layer => layer.Size.ToString(CultureInfo.InvariantCulture)).ToList();
        var labels = new Dictionary<string, string>
        {
            [ContainerdLabels.SnapshotReference] = chainId,
            [SnapshotLabels.ImageReference] = imageReference,
            [SnapshotLabels.ManifestDigest] = manifestDigest,
            [SnapshotLabels.LayerDigest] = layers[index].Digest,
            [SnapshotLabels.ImageLayers] = string.Join(',', digests),
            [SnapshotLabels.SociSize] = layers[index].Size.ToString(CultureInfo.InvariantCulture),
            [ImageLayersSize] = string.Join(',', sizes),
        };
        if (!string.IsNullOrEmpty(sociIndexDigest))
        {
            labels[SnapshotLabels.SociIndexDigest] = sociIndexDigest;
        }

        return labels;
    }

    /// <summary>The labels the committed snapshot of an unpacked layer keeps: the name the client asked for.</summary>
    public static Dictionary<string, string> ForCommit(string chainId) => new() { [ContainerdLabels.SnapshotReference] = chainId };

    /// <summary>As many leading values as fit in one containerd label with <paramref name="key"/> (CRI drops the tail the same way).</summary>
    private static List<string> FitToLabel(string key, IEnumerable<string> values)
    {
        var fitted = new List<string>();
        var bytes = Encoding.UTF8.GetByteCount(key);
        foreach (var value in values)
        {
            var added = Encoding.UTF8.GetByteCount(value) + (fitted.Count == 0 ? 0 : 1);
            if (bytes + added > SnapshotLabels.MaxLabelBytes)
            {
                break;
            }

            bytes += added;
            fitted.Add(value);
        }

        return fitted;
    }
}
