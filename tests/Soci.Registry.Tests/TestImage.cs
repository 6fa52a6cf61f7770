using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

/// <summary>The synthetic test image written as a layout and pushed to a registry with skopeo.</summary>
public sealed record TestImage(string Layout, BlobDescriptor Manifest, IReadOnlyList<OciDescriptor> Layers)
{
    public static async Task<TestImage> PushAsync(TestDirectory directory, LocalRegistry registry, string repository, string tag)
    {
        var layout = directory.Sub("layout-" + Guid.NewGuid().ToString("N")[..6]);
        var manifest = SyntheticImage.WriteLayout(layout);
        await ImagePusher.PushAsync(layout, SyntheticImage.Tag, registry, repository, tag);
        var parsed = OciJson.Parse<OciManifest>(File.ReadAllBytes(BlobPath(layout, manifest.Digest)), "test manifest");
        return new TestImage(layout, manifest, parsed.Layers);
    }

    public byte[] Blob(string digest) => File.ReadAllBytes(BlobPath(Layout, digest));

    public OciDescriptor LargestLayer => Layers.MaxBy(layer => layer.Size)!;

    public static string BlobPath(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    public static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement.Clone();
}
