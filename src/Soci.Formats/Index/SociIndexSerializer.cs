using System.Text;
using System.Text.Json;
using Soci.Formats.Json;
using Soci.Formats.Toc;

namespace Soci.Formats.Index;

/// <summary>Writes SOCI indexes exactly as upstream's Go code does and reads them back (formats §5.2–§5.3, §6).</summary>
public static class SociIndexSerializer
{
    public static byte[] Serialize(SociIndex index)
    {
        if (index.ArtifactType is not (SociMediaTypes.IndexV1 or SociMediaTypes.IndexV2))
        {
            throw new ArgumentException($"unknown index version: {index.ArtifactType}");
        }
        if (index.ArtifactType == SociMediaTypes.IndexV1 && index.Subject is null)
        {
            throw new ArgumentException("cannot write soci index: the Refers field is nil");
        }
        var json = new GoJsonWriter().StartObject()
            .Property("schemaVersion", 2)
            .Property("mediaType", SociMediaTypes.ImageManifest)
            .PropertyName("config");
        WriteDescriptor(json, new Descriptor { MediaType = index.ArtifactType, Digest = SociMediaTypes.EmptyConfigDigest, Size = 2 });
        json.PropertyName("layers").StartArray();
        foreach (var blob in index.Blobs)
        {
            WriteDescriptor(json, blob);
        }
        json.EndArray();
        if (index.Subject is not null)
        {
            WriteDescriptor(json.PropertyName("subject"), index.Subject);
        }
        WriteMap(json, "annotations", index.Annotations);
        return json.EndObject().ToArray();
    }

    /// <summary>Writes one descriptor in image-spec field order, omitting empty optional fields like Go's omitempty.</summary>
    public static void WriteDescriptor(GoJsonWriter json, Descriptor descriptor)
    {
        json.StartObject()
            .Property("mediaType", descriptor.MediaType)
            .Property("digest", descriptor.Digest)
            .Property("size", descriptor.Size);
        if (descriptor.Urls is { Count: > 0 })
        {
            json.PropertyName("urls").StartArray();
            foreach (var url in descriptor.Urls)
            {
                json.String(url);
            }
            json.EndArray();
        }
        WriteMap(json, "annotations", descriptor.Annotations);
        if (descriptor.Data is { Length: > 0 })
        {
            json.Property("data", Convert.ToBase64String(descriptor.Data));
        }
        if (descriptor.Platform is { } platform)
        {
            json.PropertyName("platform").StartObject()
                .Property("architecture", platform.Architecture)
                .Property("os", platform.Os);
            if (!string.IsNullOrEmpty(platform.OsVersion))
            {
                json.Property("os.version", platform.OsVersion);
            }
            if (platform.OsFeatures is { Count: > 0 })
            {
                json.PropertyName("os.features").StartArray();
                foreach (var feature in platform.OsFeatures)
                {
                    json.String(feature);
                }
                json.EndArray();
            }
            if (!string.IsNullOrEmpty(platform.Variant))
            {
                json.Property("variant", platform.Variant);
            }
            json.EndObject();
        }
        if (!string.IsNullOrEmpty(descriptor.ArtifactType))
        {
            json.Property("artifactType", descriptor.ArtifactType);
        }
        json.EndObject();
    }

    public static SociIndex Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            var artifactType = root.GetProperty("config").GetProperty("mediaType").GetString();
            if (artifactType is not (SociMediaTypes.IndexV1 or SociMediaTypes.IndexV2))
            {
                throw new ZtocFormatException($"unknown index version: {artifactType}");
            }
            return new SociIndex
            {
                ArtifactType = artifactType,
                Blobs = root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                    ? layers.EnumerateArray().Select(ReadDescriptor).ToList()
                    : [],
                Subject = root.TryGetProperty("subject", out var subject) ? ReadDescriptor(subject) : null,
                Annotations = ReadMap(root, "annotations"),
            };
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ZtocFormatException($"cannot parse SOCI index: {error.Message}", error);
        }
    }

    private static Descriptor ReadDescriptor(JsonElement element) => new()
    {
        MediaType = element.GetProperty("mediaType").GetString() ?? "",
        Digest = element.GetProperty("digest").GetString() ?? "",
        Size = element.GetProperty("size").GetInt64(),
        Urls = element.TryGetProperty("urls", out var urls) ? urls.EnumerateArray().Select(u => u.GetString() ?? "").ToList() : null,
        Annotations = ReadMap(element, "annotations"),
        Data = element.TryGetProperty("data", out var data) ? data.GetBytesFromBase64() : null,
        Platform = element.TryGetProperty("platform", out var platform) ? ReadPlatform(platform) : null,
        ArtifactType = element.TryGetProperty("artifactType", out var artifactType) ? artifactType.GetString() : null,
    };

    private static Platform ReadPlatform(JsonElement element) => new()
    {
        Architecture = element.GetProperty("architecture").GetString() ?? "",
        Os = element.GetProperty("os").GetString() ?? "",
        OsVersion = element.TryGetProperty("os.version", out var version) ? version.GetString() : null,
        OsFeatures = element.TryGetProperty("os.features", out var features) ? features.EnumerateArray().Select(f => f.GetString() ?? "").ToList() : null,
        Variant = element.TryGetProperty("variant", out var variant) ? variant.GetString() : null,
    };

    private static Dictionary<string, string>? ReadMap(JsonElement element, string name) =>
        element.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : null;

    /// <summary>Go sorts map keys by their bytes; an empty map is omitted (omitempty).</summary>
    private static void WriteMap(GoJsonWriter json, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is not { Count: > 0 })
        {
            return;
        }
        json.PropertyName(name).StartObject();
        foreach (var (key, value) in map.OrderBy(p => Encoding.UTF8.GetBytes(p.Key), ByteOrder.Instance))
        {
            json.Property(key, value);
        }
        json.EndObject();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
