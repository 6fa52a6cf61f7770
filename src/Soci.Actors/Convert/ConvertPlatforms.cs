using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Conversion;

/// <summary>Platform rules of <c>soci convert</c> (formats §5.5): flag parsing, config-derived platforms, strict matching.</summary>
public static class ConvertPlatforms
{
    /// <summary>
    /// Parses a <c>--platform</c> value as containerd's parser does: aliases normalized (aarch64 → arm64,
    /// x86_64 → amd64), a spelled-out variant kept (<c>linux/arm64/v8</c>), none implied for a bare <c>linux/arm</c>.
    /// </summary>
    public static OciPlatform ParseFlag(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"could not parse platform {text}: expected os/architecture[/variant]");
        }

        var normalized = OciPlatform.Normalize(new OciPlatform { Os = parts[0], Architecture = parts[1] });
        return normalized with { Variant = parts.Length == 3 ? parts[2].ToLowerInvariant() : null };
    }

    /// <summary>The platform an image config declares (architecture, os, os.version, os.features, variant), normalized.</summary>
    public static OciPlatform FromConfig(ReadOnlySpan<byte> config, string configDigest)
    {
        try
        {
            using var document = JsonDocument.Parse(config.ToArray());
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var features = root.TryGetProperty("os.features", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(feature => feature.GetString() ?? "").ToList()
                : null;
            var platform = new OciPlatform
            {
                Architecture = Text("architecture") ?? "",
                Os = Text("os") ?? "",
                OsVersion = Text("os.version"),
                OsFeatures = features is { Count: > 0 } ? features : null,
                Variant = Text("variant"),
            };
            if (platform.Os.Length == 0 || platform.Architecture.Length == 0)
            {
                throw new ConvertException($"image config {configDigest} declares no os and architecture");
            }

            return OciPlatform.Normalize(platform);
        }
        catch (JsonException error)
        {
            throw new ConvertException($"image config {configDigest}: malformed JSON: {error.Message}", error);
        }
    }

    /// <summary>containerd's strict matcher: same os, architecture and variant after normalization.</summary>
    public static bool StrictlyEqual(OciPlatform a, OciPlatform b)
    {
        var left = OciPlatform.Normalize(a);
        var right = OciPlatform.Normalize(b);
        return left.Os == right.Os && left.Architecture == right.Architecture && left.Variant == right.Variant;
    }

    /// <summary>containerd's platform string (<c>linux/arm64/v8</c>), as the artifacts DB stores it.</summary>
    public static string Format(OciPlatform platform) => platform.ToString();

    public static bool IsImageManifest(OciDescriptor descriptor) =>
        OciMediaTypes.IsManifest(descriptor.MediaType) && descriptor.ArtifactType is null;
}
