using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Artifacts.Images;

/// <summary>
/// An image in an OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>), chosen
/// by its <c>org.opencontainers.image.ref.name</c> annotation or, when the layout holds one image, the only one.
/// </summary>
public sealed class OciLayoutImageSource : IImageSource
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly string _directory;

    private OciLayoutImageSource(string directory, string name, OciDescriptor target)
    {
        _directory = directory;
        Name = name;
        Target = target;
    }

    public string Name { get; }

    public OciDescriptor Target { get; }

    /// <summary>Opens the image tagged <paramref name="tag"/> (or the only image when null) in the layout.</summary>
    /// <exception cref="ArtifactStoreException">No layout there, a malformed index.json, or no such image.</exception>
    public static OciLayoutImageSource Open(string directory, string? tag)
    {
        var entries = ReadIndex(directory);
        var name = tag is null ? directory : $"{directory}:{tag}";
        if (tag is null)
        {
            return entries.Count switch
            {
                1 => new OciLayoutImageSource(directory, name, entries[0]),
                0 => throw new ArtifactStoreException($"OCI layout {directory} holds no image"),
                _ => throw new ArtifactStoreException(
                    $"OCI layout {directory} holds {entries.Count} images; name one as {directory}:<{string.Join("|", RefNames(entries))}>"),
            };
        }
        var match = entries.FirstOrDefault(entry => entry.Annotation(RefNameAnnotation) == tag)
                    ?? throw new ArtifactStoreException($"image {tag} not found in OCI layout {directory}");
        return new OciLayoutImageSource(directory, name, match);
    }

    /// <summary>Every image reference name the layout's index.json declares, with its root descriptor.</summary>
    public static IReadOnlyList<(string Name, OciDescriptor Target)> Images(string directory) =>
        ReadIndex(directory)
            .Where(entry => entry.Annotation(RefNameAnnotation) is not null)
            .Select(entry => (entry.Annotation(RefNameAnnotation)!, entry))
            .ToList();

    public async Task<byte[]> ReadBlobAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(BlobPath(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException error)
        {
            throw new ArtifactStoreException($"blob {digest} of image {Name} is missing from its OCI layout", error);
        }
    }

    public Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(BlobPath(blob.Digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.SequentialScan));
        }
        catch (FileNotFoundException error)
        {
            throw new ArtifactStoreException($"blob {blob.Digest} of image {Name} is missing from its OCI layout", error);
        }
    }

    public void Dispose()
    {
    }

    private string BlobPath(string digest)
    {
        try
        {
            return Path.Combine(_directory, "blobs", "sha256", ContentDigest.Hex(digest));
        }
        catch (FormatException error)
        {
            throw new ArtifactStoreException($"image {Name}: {error.Message}", error);
        }
    }

    private static IReadOnlyList<OciDescriptor> ReadIndex(string directory)
    {
        var indexPath = Path.Combine(directory, "index.json");
        if (!File.Exists(Path.Combine(directory, "oci-layout")) || !File.Exists(indexPath))
        {
            throw new ArtifactStoreException($"{directory} is not an OCI image layout (no oci-layout or index.json)");
        }
        try
        {
            return OciJson.Parse<OciIndex>(File.ReadAllBytes(indexPath), $"{indexPath}").Manifests;
        }
        catch (Exception error) when (error is RegistryException or JsonException)
        {
            throw new ArtifactStoreException($"OCI layout {directory}: {error.Message}", error);
        }
    }

    private static IEnumerable<string> RefNames(IEnumerable<OciDescriptor> entries) =>
        entries.Select(entry => entry.Annotation(RefNameAnnotation) ?? entry.Digest);
}
