using System.Formats.Tar;
using Soci.Actors.Conversion;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Cli.Commands;

/// <summary>
/// The temporary OCI layout a conversion works in, deleted at disposal: for a standalone conversion (cli.md §3.2) a
/// copy of the input layout directory or the extraction of an input layout tar, its root image chosen from
/// <c>index.json</c>, and the converted layout written out as a tar or a directory whose <c>index.json</c> names only
/// the converted image; for a registry source, the cache of what was fetched.
/// </summary>
internal sealed class WorkLayout : IDisposable
{
    private WorkLayout(string directory)
    {
        Directory = directory;
        Content = new OciLayoutContent(directory);
    }

    public string Directory { get; }

    public OciLayoutContent Content { get; }

    /// <summary>An empty layout in a new temporary directory (under the output's directory when there is no OS temp directory).</summary>
    public static WorkLayout Empty(string output)
    {
        var parent = System.IO.Directory.Exists(Path.GetTempPath()) ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(output))!;
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(parent, $"soci-convert-{Guid.NewGuid():N}")).FullName;
        return new WorkLayout(directory);
    }

    /// <summary>Copies or extracts <paramref name="input"/> into a new temporary directory.</summary>
    public static WorkLayout Open(string input, string output)
    {
        var layout = Empty(output);
        var directory = layout.Directory;
        try
        {
            if (System.IO.Directory.Exists(input))
            {
                Copy(input, directory);
            }
            else
            {
                using var tar = File.OpenRead(input);
                TarFile.ExtractToDirectory(tar, directory, overwriteFiles: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            layout.Dispose();
            throw new ArgumentException($"failed to access input {input}: {error.Message}", error);
        }

        if (!File.Exists(Path.Combine(directory, OciLayoutContent.LayoutFile)) || !File.Exists(Path.Combine(directory, OciLayoutContent.IndexFile)))
        {
            layout.Dispose();
            throw new ArgumentException($"failed to access input {input}: not an OCI image layout (no oci-layout or index.json)");
        }

        return layout;
    }

    /// <summary>The image to convert, chosen from index.json as upstream does.</summary>
    public async Task<OciDescriptor> SelectRootAsync(CancellationToken cancellationToken)
    {
        var index = OciJson.Parse<OciIndex>(await File.ReadAllBytesAsync(Path.Combine(Directory, OciLayoutContent.IndexFile), cancellationToken)
            .ConfigureAwait(false), "index.json");
        if (index.Manifests.Count == 0)
        {
            throw new ConvertException("index.json contains no manifests");
        }

        if (index.Manifests.Count == 1 && !OciMediaTypes.IsIndex(index.Manifests[0].MediaType))
        {
            return index.Manifests[0];
        }

        var nested = index.Manifests.Count == 1 ? index.Manifests[0] : null;
        var list = nested is null ? index : OciJson.Parse<OciIndex>(await Content.ReadAsync(nested.Digest, cancellationToken).ConfigureAwait(false), $"index {nested.Digest}");
        var available = new List<OciDescriptor>();
        foreach (var child in list.Manifests)
        {
            if (await Content.ContainsAsync(child.Digest, cancellationToken).ConfigureAwait(false))
            {
                available.Add(child);
            }
        }

        if (available.Count == 0)
        {
            throw new ConvertException("manifest list contains no entries with available blobs");
        }

        if (available.Count == 1 && OciMediaTypes.IsManifest(available[0].MediaType))
        {
            return available[0];
        }

        if (nested is not null && available.Count == list.Manifests.Count)
        {
            return nested;
        }

        var filtered = list with { MediaType = list.MediaType ?? OciMediaTypes.ImageIndex, Manifests = available };
        var bytes = OciJson.Write(filtered);
        var descriptor = new OciDescriptor { MediaType = filtered.MediaType, Digest = ContentDigest.Of(bytes), Size = bytes.Length };
        await Content.WriteAsync(descriptor.Digest, bytes, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        return descriptor;
    }

    /// <summary>Makes the converted image the layout's only root and writes the layout to <paramref name="output"/>.</summary>
    public async Task WriteAsync(OciDescriptor converted, string output, bool asDirectory, CancellationToken cancellationToken)
    {
        var index = new OciIndex { SchemaVersion = 2, MediaType = OciMediaTypes.ImageIndex, Manifests = [converted] };
        await File.WriteAllBytesAsync(Path.Combine(Directory, OciLayoutContent.IndexFile), OciJson.Write(index), cancellationToken).ConfigureAwait(false);
        if (asDirectory)
        {
            if (System.IO.Directory.Exists(output))
            {
                System.IO.Directory.Delete(output, recursive: true);
            }

            System.IO.Directory.CreateDirectory(output, (UnixFileMode)0b111_101_101);
            Copy(Directory, output);
            return;
        }

        var archive = new FileStream(output, FileMode.Create, FileAccess.Write);
        await using (archive.ConfigureAwait(false))
        {
            await TarFile.CreateFromDirectoryAsync(Directory, archive, includeBaseDirectory: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var directory in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}
