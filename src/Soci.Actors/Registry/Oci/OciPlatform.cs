using System.Text.Json.Serialization;

namespace Soci.Actors.Registry.Oci;

/// <summary>An OCI platform (image-spec descriptor field order).</summary>
public sealed record OciPlatform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("os")]
    public string Os { get; init; } = "";

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>Parses <c>os/arch[/variant]</c> as the CLI's --platform flag takes it.</summary>
    public static OciPlatform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw new FormatException($"could not parse platform {text}: expected os/architecture[/variant]");
        }

        return Normalize(new OciPlatform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null });
    }

    /// <summary>The host's platform, as the default for multi-platform images.</summary>
    public static OciPlatform Host => Normalize(new OciPlatform
    {
        Os = "linux",
        Architecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            var other => other.ToString().ToLowerInvariant(),
        },
    });

    /// <summary>containerd's normalization of common aliases (aarch64 → arm64, x86_64 → amd64, arm64/v8 → arm64).</summary>
    public static OciPlatform Normalize(OciPlatform platform)
    {
        var architecture = platform.Architecture.ToLowerInvariant() switch
        {
            "aarch64" => "arm64",
            "x86_64" or "x86-64" => "amd64",
            "i386" => "386",
            "armhf" or "armel" => "arm",
            var other => other,
        };
        var variant = platform.Variant;
        if (architecture == "arm64" && variant == "v8")
        {
            variant = null;
        }

        return platform with { Os = platform.Os.ToLowerInvariant(), Architecture = architecture, Variant = string.IsNullOrEmpty(variant) ? null : variant };
    }

    /// <summary>Whether an image for <paramref name="candidate"/> satisfies this requested platform.</summary>
    public bool Matches(OciPlatform candidate)
    {
        var wanted = Normalize(this);
        var offered = Normalize(candidate);
        return wanted.Os == offered.Os && wanted.Architecture == offered.Architecture &&
               (wanted.Variant is null || wanted.Variant == offered.Variant);
    }

    public override string ToString() => $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";
}
