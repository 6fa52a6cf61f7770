using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Soci.TestEnvironment.Images;

/// <summary>A content-addressed blob as an OCI descriptor names it.</summary>
public sealed record BlobDescriptor(string MediaType, string Digest, long Size)
{
    public JsonObject ToJson() => new() { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };
}

/// <summary>Writes a single-platform image as an OCI image layout directory (what skopeo pushes from `oci:DIR:TAG`).</summary>
public sealed class OciLayoutWriter
{
    public const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    private readonly string _directory;
    private readonly List<BlobDescriptor> _layers = [];
    private readonly List<string> _diffIds = [];

    public OciLayoutWriter(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    /// <summary>Adds a layer: the gzip blob as stored, and the uncompressed tar's digest for the config's diff_ids.</summary>
    public BlobDescriptor AddLayer(byte[] gzipBlob, byte[] uncompressedTar)
    {
        var layer = WriteBlob(GzipLayer, gzipBlob);
        _layers.Add(layer);
        _diffIds.Add(Digest(uncompressedTar));
        return layer;
    }

    /// <summary>Writes config, manifest and index.json; returns the manifest's descriptor.</summary>
    public BlobDescriptor Finish(string tag, IReadOnlyList<string> command)
    {
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["Cmd"] = new JsonArray(command.Select(part => (JsonNode)part!).ToArray()),
            },
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray(_diffIds.Select(id => (JsonNode)id!).ToArray()),
            },
        };
        var configBlob = WriteBlob("application/vnd.oci.image.config.v1+json", JsonSerializer.SerializeToUtf8Bytes(config));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = configBlob.ToJson(),
            ["layers"] = new JsonArray(_layers.Select(layer => (JsonNode)layer.ToJson()).ToArray()),
        };
        var manifestBlob = WriteBlob("application/vnd.oci.image.manifest.v1+json", JsonSerializer.SerializeToUtf8Bytes(manifest));
        var entry = manifestBlob.ToJson();
        entry["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(entry) };
        File.WriteAllBytes(Path.Combine(_directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index));
        return manifestBlob;
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private BlobDescriptor WriteBlob(string mediaType, byte[] content)
    {
        var digest = Digest(content);
        File.WriteAllBytes(Path.Combine(_directory, "blobs", "sha256", digest["sha256:".Length..]), content);
        return new BlobDescriptor(mediaType, digest, content.Length);
    }
}
