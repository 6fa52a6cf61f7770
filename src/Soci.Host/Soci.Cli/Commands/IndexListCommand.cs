using System.CommandLine;
using System.Globalization;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Artifacts.Listing;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci index list|ls [--ref IMAGE] [--quiet] [--platform P…]</c> (cli.md §6): the artifacts DB's indexes, newest
/// first, as upstream's table (one row per image whose target is the index's image) or one digest per line.
/// </summary>
public static class IndexListCommand
{
    public static Command Create()
    {
        var reference = new Option<string?>("--ref") { Description = "only indexes of this image's platform manifests" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only index digests" };
        var platforms = new PlatformFlags();
        var command = new Command("list", "list SOCI indexes") { reference, quiet, platforms.Platforms };
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var wanted = platforms.Parse(parseResult);
            using var session = CliSession.Open(parseResult, cancellationToken);
            IEnumerable<ArtifactEntry> entries = session.Artifacts.Database.List(ArtifactEntry.IndexType);
            if (parseResult.GetValue(reference) is { Length: > 0 } image)
            {
                var manifests = await ManifestDigestsAsync(session, image, wanted).ConfigureAwait(false);
                entries = entries.Where(entry => manifests.Contains(entry.OriginalDigest));
            }
            else if (wanted.Count > 0)
            {
                var names = wanted.Select(platform => platform.ToString()).ToHashSet(StringComparer.Ordinal);
                entries = entries.Where(entry => names.Contains(entry.Platform));
            }

            var sorted = entries.OrderByDescending(entry => entry.CreatedAt).ToList();
            if (parseResult.GetValue(quiet))
            {
                foreach (var entry in sorted)
                {
                    await session.Output.WriteLineAsync(entry.Digest).ConfigureAwait(false);
                }

                return;
            }

            var images = await session.Artifacts.ImageNamesAsync(session.Token).ConfigureAwait(false);
            var table = new ElasticTable("DIGEST", "SIZE", "IMAGE REF", "PLATFORM", "MEDIA TYPE", "MANIFEST VERSION", "CREATED");
            var now = DateTimeOffset.UtcNow;
            foreach (var entry in sorted)
            {
                var names = images.Where(candidate => candidate.TargetDigest == entry.ImageDigest).Select(candidate => candidate.Name).DefaultIfEmpty("");
                foreach (var name in names)
                {
                    table.Add(entry.Digest, entry.Size.ToString(CultureInfo.InvariantCulture), name, entry.Platform, entry.MediaType,
                        entry.ArtifactType == SociMediaTypes.IndexV2 ? "v2" : "v1", CreatedAge.Format(entry.CreatedAt, now));
                }
            }

            await session.Output.WriteAsync(table.ToString()).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The image's platform manifest digests: the given platforms, or all it declares.</summary>
    private static async Task<HashSet<string>> ManifestDigestsAsync(CliSession session, string image, IReadOnlyList<OciPlatform> platforms)
    {
        using var source = await session.Artifacts.TryOpenImageAsync(image, session.Token).ConfigureAwait(false)
                           ?? throw new ArtifactStoreException($"image {image}: not found in the {session.Artifacts.Store.Kind} content store");
        var resolved = await PlatformManifestResolver.ResolveAsync(source, platforms, platforms.Count == 0, session.Token).ConfigureAwait(false);
        return resolved.Select(manifest => manifest.ManifestDescriptor.Digest).ToHashSet(StringComparer.Ordinal);
    }
}
