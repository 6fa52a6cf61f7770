namespace Soci.Actors.Snapshotter;

/// <summary>The snapshot labels the snapshotter reads or writes (snapshotter.md §4), and containerd's label limit.</summary>
public static class SnapshotLabels
{
    /// <summary>Name of the committed snapshot the client wants; its presence asks for a remote (or local) layer.</summary>
    public const string TargetReference = "containerd.io/snapshot.ref";

    public const string ImageReference = "containerd.io/snapshot/cri.image-ref";
    public const string ManifestDigest = "containerd.io/snapshot/cri.manifest-digest";
    public const string LayerDigest = "containerd.io/snapshot/cri.layer-digest";
    public const string ImageLayers = "containerd.io/snapshot/cri.image-layers";

    /// <summary>The labels `ctr-remote image rpull` (stargz-snapshotter) sends instead of the cri.* set.</summary>
    public const string StargzReference = "containerd.io/snapshot/remote/stargz.reference";
    public const string StargzDigest = "containerd.io/snapshot/remote/stargz.digest";
    public const string StargzLayers = "containerd.io/snapshot/remote/stargz.layers";

    public const string SociSize = "containerd.io/snapshot/remote/soci.size";
    public const string SociIndexDigest = "containerd.io/snapshot/remote/soci.index.digest";

    /// <summary>Set by us on FUSE-backed committed snapshots; drives availability checks and restore.</summary>
    public const string Remote = "containerd.io/snapshot/remote";
    public const string RemoteValue = "remote snapshot";
    public const string HasSociIndexDigest = "containerd.io/snapshot/remote/has.soci.index.digest";
    public const string Namespace = "containerd.io/snapshot/remote/namespace";

    /// <summary>containerd's limit on one label: key and value together (labels.Validate).</summary>
    public const int MaxLabelBytes = 4096;

    /// <summary>Rejects labels containerd itself would reject, naming the offending key.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (key.Length == 0)
            {
                throw SnapshotException.InvalidArgument("label key must not be empty");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value) > MaxLabelBytes)
            {
                throw SnapshotException.InvalidArgument(
                    $"label key and value greater than maximum size ({MaxLabelBytes} bytes), key: {key[..Math.Min(key.Length, 64)]}");
            }
        }
    }
}
