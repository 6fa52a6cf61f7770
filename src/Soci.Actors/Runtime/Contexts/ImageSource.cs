using Soci.Actors.Registry;
using Soci.Actors.Snapshotter;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Runtime.Contexts;

/// <summary>
/// What a remote mount's labels say about the layer (snapshotter.md §6.1 steps 1–2): the image reference, its
/// manifest digest (empty when the client sent only stargz labels: resolved from the reference then), the layer,
/// its size (0 = unknown), the explicit SOCI index digest (may be empty) and the image's other layers.
/// </summary>
public sealed record ImageSource(
    string Reference, string ManifestDigest, string LayerDigest, long LayerSize, string ExplicitIndexDigest, IReadOnlyList<string> ImageLayers)
    : ISociMessage
{
    /// <exception cref="RemoteMountException">The labels name no image reference or layer, or a value is malformed.</exception>
    public static ImageSource FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        var normalized = RemoteLayerLabels.Normalize(labels)
                         ?? throw new RemoteMountException(RemoteMountFailure.NoValidSociIndex, "the labels name no image reference and layer digest");
        var reference = normalized[SnapshotLabels.ImageReference];
        var layer = normalized[SnapshotLabels.LayerDigest];
        try
        {
            ImageReference.Parse(reference);
            ContentDigest.Parse(layer);
            var manifest = normalized.GetValueOrDefault(SnapshotLabels.ManifestDigest, "");
            if (manifest.Length > 0)
            {
                ContentDigest.Parse(manifest);
            }

            var index = normalized.GetValueOrDefault(SnapshotLabels.SociIndexDigest, "");
            if (index.Length > 0)
            {
                ContentDigest.Parse(index);
            }

            var layers = normalized.GetValueOrDefault(SnapshotLabels.ImageLayers, "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new ImageSource(reference, manifest, layer, RemoteLayerLabels.LayerSize(normalized) ?? 0, index, layers);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or SnapshotException)
        {
            throw new RemoteMountException(RemoteMountFailure.Failed, $"invalid remote layer labels: {error.Message}", error);
        }
    }
}
