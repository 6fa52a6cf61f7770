namespace Soci.Formats.Index;

/// <summary>An OCI platform (formats §6.2).</summary>
public sealed record Platform
{
    public required string Architecture { get; init; }

    public required string Os { get; init; }

    public string? OsVersion { get; init; }

    public IReadOnlyList<string>? OsFeatures { get; init; }

    public string? Variant { get; init; }
}
