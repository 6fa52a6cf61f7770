using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Pull;

/// <summary>
/// What a pull needs from an image config: <c>rootfs.diff_ids</c> (the digests the layers must unpack to) and the
/// platform the image is built for.
/// </summary>
public static class ImageConfigFacts
{
    /// <summary>Fails unless the config's os/architecture satisfy <paramref name="wanted"/> (a config that names none passes).</summary>
    public static void CheckPlatform(byte[] config, string configDigest, string imageName, OciPlatform wanted)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            var os = root.TryGetProperty("os", out var osElement) && osElement.ValueKind == JsonValueKind.String ? osElement.GetString() : null;
            var architecture = root.TryGetProperty("architecture", out var archElement) && archElement.ValueKind == JsonValueKind.String
                ? archElement.GetString()
                : null;
            if (string.IsNullOrEmpty(os) || string.IsNullOrEmpty(architecture))
            {
                return;
            }

            var variant = root.TryGetProperty("variant", out var variantElement) && variantElement.ValueKind == JsonValueKind.String ? variantElement.GetString() : null;
            var offered = new OciPlatform { Os = os, Architecture = architecture, Variant = variant };
            if (!wanted.Matches(offered))
            {
                throw new ImagePullException($"image {imageName} is for platform {OciPlatform.Normalize(offered)}, not {wanted}");
            }
        }
        catch (JsonException error)
        {
            throw new ImagePullException($"image config {configDigest} is not valid JSON: {error.Message}", error);
        }
    }

    public static IReadOnlyList<string> Read(byte[] config, string configDigest)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("rootfs", out var rootfs) || rootfs.ValueKind != JsonValueKind.Object ||
                !rootfs.TryGetProperty("diff_ids", out var diffIds) || diffIds.ValueKind != JsonValueKind.Array)
            {
                throw new ImagePullException($"image config {configDigest} has no rootfs.diff_ids array");
            }

            var result = new List<string>();
            foreach (var element in diffIds.EnumerateArray())
            {
                var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
                if (text is null || !ContentDigest.IsValid(text))
                {
                    throw new ImagePullException($"image config {configDigest}: rootfs.diff_ids[{result.Count}] is not a digest");
                }

                result.Add(text);
            }

            return result;
        }
        catch (JsonException error)
        {
            throw new ImagePullException($"image config {configDigest} is not valid JSON: {error.Message}", error);
        }
    }
}
