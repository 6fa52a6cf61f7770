using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Conversion;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci rebuild-db</c> (cli.md §5): drops artifacts-DB entries whose blobs left the content store and
/// rediscovers the v1 indexes (and their ztocs) the store holds, e.g. after a lazy pull or containerd's GC.
/// </summary>
public static class RebuildDbCommand
{
    public static Command Create()
    {
        var command = new Command("rebuild-db", "synchronize the artifacts database with the content store");
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            using var session = CliSession.Open(parseResult, cancellationToken);
            var store = session.Artifacts.Store;
            await new ArtifactsDbRebuilder(store, session.Artifacts.Database, (manifest, token) => PlatformOfAsync(store, manifest, token))
                .RebuildAsync(session.Token).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The platform an image manifest's config declares, or null when the store lacks the manifest or config.</summary>
    private static async Task<string?> PlatformOfAsync(IArtifactContentStore store, string manifestDigest, CancellationToken cancellationToken)
    {
        if (await store.TryReadAsync(manifestDigest, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        var manifest = OciJson.Parse<OciManifest>(bytes, $"manifest {manifestDigest}");
        return await store.TryReadAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false) is { } config
            ? ConvertPlatforms.FromConfig(config, manifest.Config.Digest).ToString()
            : null;
    }
}
