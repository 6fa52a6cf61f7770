using System.Text.Json;
using System.Text.Json.Serialization;
using Soci.Formats.Json;

namespace Soci.Actors.Registry.Oci;

/// <summary>
/// Reads OCI JSON leniently (unknown members ignored) and writes it as Go's encoding/json does, because the bytes
/// we push are content-addressed and must match what upstream tools produce for the same content.
/// </summary>
public static class OciJson
{
    private static readonly JsonSerializerOptions ReadOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static T Parse<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ReadOptions) ?? throw new RegistryException($"{what}: JSON null");
        }
        catch (JsonException error)
        {
            throw new RegistryException($"{what}: malformed JSON: {error.Message}", error);
        }
    }

    public static byte[] Write(OciIndex index)
    {
        var writer = new GoJsonWriter().StartObject().Property("schemaVersion", index.SchemaVersion);
        OptionalString(writer, "mediaType", index.MediaType);
        OptionalString(writer, "artifactType", index.ArtifactType);
        writer.PropertyName("manifests").StartArray();
        foreach (var manifest in index.Manifests)
        {
            Descriptor(writer, manifest);
        }

        writer.EndArray();
        if (index.Subject is not null)
        {
            Descriptor(writer.PropertyName("subject"), index.Subject);
        }

        Annotations(writer, index.Annotations);
        return writer.EndObject().ToArray();
    }

    public static byte[] Write(OciManifest manifest)
    {
        var writer = new GoJsonWriter().StartObject().Property("schemaVersion", manifest.SchemaVersion);
        OptionalString(writer, "mediaType", manifest.MediaType);
        OptionalString(writer, "artifactType", manifest.ArtifactType);
        Descriptor(writer.PropertyName("config"), manifest.Config);
        writer.PropertyName("layers").StartArray();
        foreach (var layer in manifest.Layers)
        {
            Descriptor(writer, layer);
        }

        writer.EndArray();
        if (manifest.Subject is not null)
        {
            Descriptor(writer.PropertyName("subject"), manifest.Subject);
        }

        Annotations(writer, manifest.Annotations);
        return writer.EndObject().ToArray();
    }

    private static void Descriptor(GoJsonWriter writer, OciDescriptor descriptor)
    {
        writer.StartObject()
            .Property("mediaType", descriptor.MediaType)
            .Property("digest", descriptor.Digest)
            .Property("size", descriptor.Size);
        if (descriptor.Urls is { Count: > 0 })
        {
            writer.PropertyName("urls").StartArray();
            foreach (var url in descriptor.Urls)
            {
                writer.String(url);
            }

            writer.EndArray();
        }

        Annotations(writer, descriptor.Annotations);
        if (descriptor.Platform is { } platform)
        {
            writer.PropertyName("platform").StartObject()
                .Property("architecture", platform.Architecture)
                .Property("os", platform.Os);
            OptionalString(writer, "os.version", platform.OsVersion);
            if (platform.OsFeatures is { Count: > 0 })
            {
                writer.PropertyName("os.features").StartArray();
                foreach (var feature in platform.OsFeatures)
                {
                    writer.String(feature);
                }

                writer.EndArray();
            }

            OptionalString(writer, "variant", platform.Variant);
            writer.EndObject();
        }

        OptionalString(writer, "artifactType", descriptor.ArtifactType);
        writer.EndObject();
    }

    private static void Annotations(GoJsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is not { Count: > 0 })
        {
            return;
        }

        // Go marshals map keys sorted by their bytes.
        writer.PropertyName("annotations").StartObject();
        foreach (var (key, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.Property(key, value);
        }

        writer.EndObject();
    }

    private static void OptionalString(GoJsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.Property(name, value);
        }
    }
}
