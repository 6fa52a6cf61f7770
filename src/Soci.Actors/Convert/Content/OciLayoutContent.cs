using Soci.Actors.Registry;

namespace Soci.Actors.Conversion.Content;

/// <summary>
/// The blobs of an OCI image layout directory (<c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>). Writes are verified
/// against their digest and land by rename, so a reader never sees a partial blob; GC labels do not apply.
/// </summary>
public sealed class OciLayoutContent : IImageContent
{
    public const string LayoutFile = "oci-layout";
    public const string IndexFile = "index.json";
    public const string LayoutVersion = """{"imageLayoutVersion":"1.0.0"}""";

    public OciLayoutContent(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public string PathOf(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || digest.AsSpan(colon + 1).ContainsAny(['/', '.']) || colon == digest.Length - 1)
        {
            throw new FormatException($"invalid digest \"{digest}\"");
        }

        return Path.Combine(Directory, "blobs", digest[..colon], digest[(colon + 1)..]);
    }

    public Task<bool> ContainsAsync(string digest, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(digest)));

    public async Task<byte[]?> TryReadAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<Stream> OpenAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageContentNotFoundException($"content {digest}: not found in {Directory}", error);
        }
    }

    public async Task WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> gcLabels, CancellationToken cancellationToken)
    {
        var actual = ContentDigest.Of(content);
        if (actual != digest)
        {
            throw new ContentVerificationException($"OCI layout {Directory}: blob {digest} has digest {actual}");
        }

        var target = PathOf(digest);
        if (File.Exists(target))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
    }
}
