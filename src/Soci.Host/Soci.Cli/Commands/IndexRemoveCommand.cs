using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Registry;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci index remove|rm [digest…] [--ref IMAGE]</c> (cli.md §6): deletes index entries from the artifacts DB and
/// their blobs from the content store (a no-op on the soci store; ztocs are left to containerd's GC).
/// </summary>
public static class IndexRemoveCommand
{
    public static Command Create()
    {
        var digests = new Argument<string[]>("digest") { Description = "SOCI index digests", Arity = ArgumentArity.ZeroOrMore };
        var reference = new Option<string?>("--ref") { Description = "remove every index of this image" };
        var command = new Command("remove", "remove SOCI indexes") { digests, reference };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var given = parseResult.GetValue(digests) ?? [];
            var image = parseResult.GetValue(reference);
            if (given.Length > 0 && image is { Length: > 0 })
            {
                throw new ArgumentException("please provide either index digests or image ref, but not both");
            }

            var parsed = given.Select(ContentDigest.Parse).ToList();
            using var session = CliSession.Open(parseResult, cancellationToken);
            var database = session.Artifacts.Database;
            if (image is { Length: > 0 })
            {
                using var source = await session.Artifacts.TryOpenImageAsync(image, session.Token).ConfigureAwait(false)
                                   ?? throw new ArtifactStoreException($"image {image}: not found in the {session.Artifacts.Store.Kind} content store");
                parsed = database.List(ArtifactEntry.IndexType).Where(entry => entry.ImageDigest == source.Target.Digest).Select(entry => entry.Digest).ToList();
            }

            foreach (var digest in parsed)
            {
                var entry = database.Get(digest) ?? throw new ArtifactStoreException($"the index of the digest {digest} doesn't exist");
                if (!entry.IsIndex || entry.Type != ArtifactEntry.IndexType)
                {
                    throw new ArtifactStoreException($"the digest {digest} does not correspond to an index");
                }

                database.Remove(digest);
                await session.Artifacts.Store.DeleteAsync(digest, session.Token).ConfigureAwait(false);
            }
        }));
        return command;
    }
}
