using System.Text.Json.Nodes;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Snapshotter;
using Soci.Formats.Index;
using Soci.TestEnvironment.Registry;

namespace Soci.Runtime.Tests.Support;

/// <summary>
/// An image pushed to a loopback registry with its SOCI artifacts: layers, config and manifest, every layer's
/// ztoc as a blob and a SOCI index (v2 form, no subject) pushed by digest. <see cref="WithIndex"/> false pushes
/// the image alone (no index anywhere).
/// </summary>
public sealed record TestImage(string Reference, string ManifestDigest, string? IndexDigest, IReadOnlyList<TestLayer> Layers)
{
    public static async Task<TestImage> PushAsync(LocalRegistry registry, string repository, IReadOnlyList<TestLayer> layers, bool withIndex = true)
    {
        using var client = new RegistryClient();
        var repo = client.Repository(registry.Host, repository);
        var config = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray(layers.Select(layer => (JsonNode)ContentDigest.Of(layer.UncompressedTar())).ToArray()),
            },
        }.ToJsonString());
        var configDescriptor = new OciDescriptor { MediaType = OciMediaTypes.ImageConfig, Digest = ContentDigest.Of(config), Size = config.Length };
        await repo.PushBlobAsync(configDescriptor, config);
        foreach (var layer in layers)
        {
            await repo.PushBlobAsync(new OciDescriptor { MediaType = GzipLayer, Digest = layer.Digest, Size = layer.Blob.Length }, layer.Blob);
        }

        string? indexDigest = null;
        if (withIndex)
        {
            foreach (var layer in layers)
            {
                await repo.PushBlobAsync(new OciDescriptor { MediaType = SociMediaTypes.Ztoc, Digest = layer.ZtocDigest, Size = layer.ZtocBytes.Length }, layer.ZtocBytes);
            }

            await repo.PushBlobAsync(
                new OciDescriptor { MediaType = "application/vnd.amazon.soci.index.v2+json", Digest = SociMediaTypes.EmptyConfigDigest, Size = 2 },
                SociMediaTypes.EmptyConfig.ToArray());
            var index = SociIndexSerializer.Serialize(new SociIndex
            {
                ArtifactType = SociMediaTypes.IndexV2,
                Blobs = layers.Select(layer => SociIndex.ZtocDescriptor(layer.ZtocDigest, layer.ZtocBytes.Length, layer.Digest, GzipLayer, TestLayer.SpanSize))
                    .ToList(),
            });
            indexDigest = ContentDigest.Of(index);
            await repo.PushManifestAsync(indexDigest, SociMediaTypes.ImageManifest, index);
        }

        var manifest = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = SociMediaTypes.ImageManifest,
            ["config"] = Descriptor(configDescriptor.MediaType, configDescriptor.Digest, config.Length),
            ["layers"] = new JsonArray(layers.Select(layer => (JsonNode)Descriptor(GzipLayer, layer.Digest, layer.Blob.Length)).ToArray()),
        }.ToJsonString());
        var (pushed, _) = await repo.PushManifestAsync("latest", SociMediaTypes.ImageManifest, manifest);
        return new TestImage(registry.Reference(repository, "latest"), pushed.Digest, indexDigest, layers);
    }

    public const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>The labels containerd's CRI sends for one layer, with the explicit index digest when there is one.</summary>
    public Dictionary<string, string> LabelsFor(TestLayer layer, string? referenceOverride = null)
    {
        var labels = new Dictionary<string, string>
        {
            [SnapshotLabels.ImageReference] = referenceOverride ?? Reference,
            [SnapshotLabels.ManifestDigest] = ManifestDigest,
            [SnapshotLabels.LayerDigest] = layer.Digest,
            [SnapshotLabels.ImageLayers] = string.Join(",", Layers.Select(l => l.Digest)),
            [SnapshotLabels.SociSize] = layer.Blob.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (IndexDigest is not null)
        {
            labels[SnapshotLabels.SociIndexDigest] = IndexDigest;
        }

        return labels;
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };
}
