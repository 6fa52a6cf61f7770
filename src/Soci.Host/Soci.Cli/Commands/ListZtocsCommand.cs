using System.CommandLine;
using System.Globalization;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Artifacts.Listing;
using Soci.Actors.Registry;
using Soci.Formats.Index;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci ztoc list|ls [--ztoc-digest D] [--image-ref IMAGE] [--quiet]</c> (cli.md §7): the artifacts DB's ztocs, or
/// those the indexes of an image's platform manifests list; each once, as a table or one digest per line.
/// </summary>
public static class ListZtocsCommand
{
    public static Command Create()
    {
        var ztocDigest = new Option<string?>("--ztoc-digest") { Description = "only this ztoc" };
        var imageRef = new Option<string?>("--image-ref") { Description = "only ztocs of this image's SOCI indexes" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only ztoc digests" };
        var command = new Command("list", "list ztocs") { ztocDigest, imageRef, quiet };
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var digest = parseResult.GetValue(ztocDigest) is { Length: > 0 } text ? ContentDigest.Parse(text) : null;
            using var session = CliSession.Open(parseResult, cancellationToken);
            IReadOnlyList<ArtifactEntry> ztocs;
            if (parseResult.GetValue(imageRef) is { Length: > 0 } image)
            {
                ztocs = (await ZtocsOfImageAsync(session, image).ConfigureAwait(false)).Where(entry => digest is null || entry.Digest == digest).ToList();
                if (digest is not null && ztocs.Count == 0)
                {
                    throw new ArtifactStoreException("the specified ztoc doesn't exist or is not associated with the specified image");
                }
            }
            else
            {
                ztocs = session.Artifacts.Database.List(ArtifactEntry.ZtocType).Where(entry => digest is null || entry.Digest == digest).ToList();
            }

            if (parseResult.GetValue(quiet))
            {
                foreach (var entry in ztocs)
                {
                    await session.Output.WriteLineAsync(entry.Digest).ConfigureAwait(false);
                }

                return;
            }

            var table = new ElasticTable("DIGEST", "SIZE", "LAYER DIGEST");
            foreach (var entry in ztocs)
            {
                table.Add(entry.Digest, entry.Size.ToString(CultureInfo.InvariantCulture), entry.OriginalDigest);
            }

            await session.Output.WriteAsync(table.ToString()).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The DB entries of the ztocs listed by the indexes recorded for every platform manifest of the image.</summary>
    private static async Task<IReadOnlyList<ArtifactEntry>> ZtocsOfImageAsync(CliSession session, string image)
    {
        using var source = await session.Artifacts.TryOpenImageAsync(image, session.Token).ConfigureAwait(false)
                           ?? throw new ArtifactStoreException($"image {image}: not found in the {session.Artifacts.Store.Kind} content store");
        var manifests = await PlatformManifestResolver.ResolveAsync(source, [], allPlatforms: true, session.Token).ConfigureAwait(false);
        var database = session.Artifacts.Database;
        var found = new List<ArtifactEntry>();
        foreach (var index in manifests.SelectMany(manifest => database.IndexesFor(manifest.ManifestDescriptor.Digest)))
        {
            if (await session.Artifacts.Store.TryReadAsync(index.Digest, session.Token).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            foreach (var blob in ParseIndex(index.Digest, bytes).Blobs.Where(blob => blob.MediaType == SociMediaTypes.Ztoc))
            {
                var entry = database.Get(blob.Digest)
                            ?? throw new ArtifactStoreException($"ztoc {blob.Digest} of index {index.Digest} is not in the artifacts database; run `soci rebuild-db`");
                if (found.All(known => known.Digest != entry.Digest))
                {
                    found.Add(entry);
                }
            }
        }

        return found;
    }

    private static SociIndex ParseIndex(string digest, byte[] bytes)
    {
        try
        {
            return SociIndexSerializer.Parse(bytes);
        }
        catch (ZtocFormatException error)
        {
            throw new ArtifactStoreException($"soci index {digest}: {error.Message}", error);
        }
    }
}
