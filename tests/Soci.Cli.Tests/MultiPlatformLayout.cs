using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Soci.Cli.Tests;

/// <summary>
/// Turns the synthetic single-platform layout into a two-platform image: an OCI image index listing the original
/// linux/amd64 manifest and a linux/arm64 one with the same layers (its own config), tagged in index.json.
/// </summary>
public static class MultiPlatformLayout
{
    public const string Tag = "multi";

    /// <summary>Rewrites index.json of <paramref name="layout"/>; returns the arm64 manifest's digest.</summary>
    public static string Write(string layout, string amd64ManifestDigest)
    {
        var amd64 = JsonNode.Parse(Read(layout, amd64ManifestDigest))!.AsObject();
        var config = JsonNode.Parse(Read(layout, amd64["config"]!["digest"]!.GetValue<string>()))!.AsObject();
        config["architecture"] = "arm64";
        var configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        var arm64 = amd64.DeepClone().AsObject();
        arm64["config"]!["digest"] = WriteBlob(layout, configBytes);
        arm64["config"]!["size"] = configBytes.Length;
        var arm64Bytes = System.Text.Encoding.UTF8.GetBytes(arm64.ToJsonString());
        var arm64Digest = WriteBlob(layout, arm64Bytes);

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(
                Entry(amd64ManifestDigest, Read(layout, amd64ManifestDigest).Length, "amd64"),
                Entry(arm64Digest, arm64Bytes.Length, "arm64")),
        };
        var indexBytes = System.Text.Encoding.UTF8.GetBytes(index.ToJsonString());
        var root = new JsonObject
        {
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["digest"] = WriteBlob(layout, indexBytes),
            ["size"] = indexBytes.Length,
            ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = Tag },
        };
        File.WriteAllText(Path.Combine(layout, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(root) }.ToJsonString());
        return arm64Digest;
    }

    private static JsonObject Entry(string digest, long size, string architecture) => new()
    {
        ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
        ["digest"] = digest,
        ["size"] = size,
        ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
    };

    private static byte[] Read(string layout, string digest) => File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]));

    private static string WriteBlob(string layout, byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]), content);
        return digest;
    }
}
