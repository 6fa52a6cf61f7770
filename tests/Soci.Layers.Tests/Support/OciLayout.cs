using System.Text.Json.Nodes;

namespace Soci.Layers.Tests.Support;

/// <summary>The layer blobs of the (first) image manifest in an OCI layout directory.</summary>
public static class OciLayout
{
    public sealed record Layer(string Digest, string Path, long Size);

    public static IReadOnlyList<Layer> Layers(string layoutDirectory)
    {
        var index = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(layoutDirectory, "index.json")))!;
        var manifest = JsonNode.Parse(File.ReadAllText(BlobPath(layoutDirectory, (string)index["manifests"]![0]!["digest"]!)))!;
        if (manifest["manifests"] is JsonArray nested)
        {
            manifest = JsonNode.Parse(File.ReadAllText(BlobPath(layoutDirectory, (string)nested[0]!["digest"]!)))!;
        }
        return manifest["layers"]!.AsArray()
            .Select(layer => (string)layer!["digest"]!)
            .Select(digest => new Layer(digest, BlobPath(layoutDirectory, digest), new FileInfo(BlobPath(layoutDirectory, digest)).Length))
            .ToList();
    }

    private static string BlobPath(string layoutDirectory, string digest) =>
        System.IO.Path.Combine(layoutDirectory, "blobs", digest.Replace(':', '/'));
}
