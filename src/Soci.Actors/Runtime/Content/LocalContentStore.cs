using Soci.Actors.Registry;

namespace Soci.Actors.Runtime.Content;

/// <summary>
/// The daemon's own content store (formats §8.1, type <c>soci</c>): an OCI image layout directory holding
/// SOCI indexes and ztocs as <c>blobs/sha256/&lt;hex&gt;</c>. Writes are verified against the expected digest
/// (and size when known) and land by rename, so a reader never sees a partial or wrong blob.
/// </summary>
public sealed class LocalContentStore
{
    private const string LayoutFile = "oci-layout";
    private const string IndexFile = "index.json";

    public LocalContentStore(string directory)
    {
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "blobs", "sha256"));
        WriteIfMissing(LayoutFile, """{"imageLayoutVersion":"1.0.0"}""");
        WriteIfMissing(IndexFile, """{"schemaVersion":2,"manifests":[]}""");
    }

    public string Directory { get; }

    public string PathOf(string digest) => Path.Combine(Directory, "blobs", "sha256", ContentDigest.Hex(digest));

    public bool Contains(string digest) => File.Exists(PathOf(digest));

    /// <summary>The blob's bytes, or null when the store does not have it.</summary>
    public async Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="content"/> under <paramref name="digest"/> after checking both.</summary>
    /// <exception cref="ContentVerificationException">The bytes do not have that digest or size.</exception>
    public async Task WriteAsync(string digest, long expectedSize, byte[] content, CancellationToken cancellationToken)
    {
        var actual = ContentDigest.Of(content);
        if (actual != ContentDigest.Parse(digest))
        {
            throw new ContentVerificationException($"content store: blob {digest} has digest {actual}");
        }

        if (expectedSize > 0 && content.Length != expectedSize)
        {
            throw new ContentVerificationException($"content store: blob {digest} is {content.Length} bytes, expected {expectedSize}");
        }

        var target = PathOf(digest);
        if (File.Exists(target))
        {
            return;
        }

        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
    }

    private void WriteIfMissing(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content);
        }
    }
}
