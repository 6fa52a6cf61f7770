namespace Soci.Formats.Index;

/// <summary>An OCI content descriptor (image-spec v1.1.1 field order, formats §6.2).</summary>
public sealed record Descriptor
{
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public byte[]? Data { get; init; }

    public Platform? Platform { get; init; }

    public string? ArtifactType { get; init; }
}
