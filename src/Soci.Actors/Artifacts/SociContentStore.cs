using System.Security.Cryptography;
using Soci.Actors.Registry;

namespace Soci.Actors.Artifacts;

/// <summary>
/// The <c>soci</c> content store (formats §8.1): an OCI image layout at <c>&lt;root&gt;/content</c>. Writes are
/// digest-verified and land by rename, so a reader never sees a partial blob. Deletion is a no-op, as upstream.
/// </summary>
public sealed class SociContentStore : IArtifactContentStore
{
    public const string KindName = "soci";

    public SociContentStore(string root)
    {
        Directory = Path.Combine(root, "content");
        BlobDirectory = Path.Combine(Directory, "blobs", "sha256");
        System.IO.Directory.CreateDirectory(BlobDirectory);
        WriteIfMissing(Path.Combine(Directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        WriteIfMissing(Path.Combine(Directory, "index.json"), """{"schemaVersion":2,"manifests":[]}""");
    }

    public string Kind => KindName;

    /// <summary>The OCI layout directory.</summary>
    public string Directory { get; }

    public string BlobDirectory { get; }

    public string PathOf(string digest) => Path.Combine(BlobDirectory, ContentDigest.Hex(digest));

    public Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(digest)));

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

    public Task<Stream?> TryOpenAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual != digest)
        {
            throw new ArtifactStoreException($"soci content store: blob {digest} has digest {actual}");
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

    public Task DeleteAsync(string digest, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<(string Digest, long Size)>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string, long)> blobs = new DirectoryInfo(BlobDirectory).EnumerateFiles()
            .Where(file => ContentDigest.IsValid("sha256:" + file.Name))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .Select(file => ("sha256:" + file.Name, file.Length))
            .ToList();
        return Task.FromResult(blobs);
    }

    private static void WriteIfMissing(string path, string content)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content);
        }
    }
}
