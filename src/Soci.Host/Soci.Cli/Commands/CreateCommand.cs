using System.CommandLine;
using System.Globalization;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Containerd;
using Soci.Formats.Index;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci create [flags] &lt;image_ref&gt;</c> (cli.md §2): builds a v1 SOCI index for each requested platform of a
/// local image (containerd, an OCI layout directory, the soci store) or a registry image, keeps the ztocs and
/// index in the content store and records them in the artifacts database. Prints upstream's per-layer lines.
/// </summary>
public static class CreateCommand
{
    /// <summary>On a containerd image record: keeps the SOCI index (and, through its labels, its ztocs) alive.</summary>
    public const string SociIndexGcLabel = "containerd.io/gc.ref.content.soci-index";

    /// <summary>On content: a garbage-collection root, for indexes of images that have no containerd record.</summary>
    public const string GcRootLabel = "containerd.io/gc.root";

    public static Command Create()
    {
        var image = new Argument<string?>("image_ref") { Description = "image: containerd image name, OCI layout directory or registry reference", Arity = ArgumentArity.ZeroOrOne };
        var platforms = new PlatformFlags();
        var build = new BuildFlags();
        var registry = new RegistryFlags();
        var command = new Command("create", "create a SOCI index (manifest v1) for an image") { image };
        platforms.AddTo(command);
        build.AddTo(command);
        registry.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var reference = parseResult.GetValue(image) is { Length: > 0 } given ? given : throw new ArgumentException("source image needs to be specified");
            var options = build.Parse(parseResult, SociMediaTypes.IndexV1);
            var wanted = platforms.Parse(parseResult);
            using var session = CliSession.Open(parseResult, cancellationToken);
            var (source, client) = await ImageLocator.OpenAsync(session, parseResult, registry, reference).ConfigureAwait(false);
            using var sourceScope = source;
            using var clientScope = client;
            var display = Console.IsOutputRedirected ? null : new BuildProgressDisplay(session.Output);
            Action<string> report = display is null ? session.Output.WriteLine : display.WriteLine;
            Action<string, long, long>? progress = display is null ? null : display.Report;
            var allPlatforms = platforms.AllPlatforms(parseResult);
            if (session.Artifacts.Store is ContainerdArtifactContentStore)
            {
                // containerd collects what no lease or label holds: build under a lease, then hand the index to a label.
                var lease = await ContainerdLease.CreateAsync(session.Artifacts.Containerd, "soci-create", cancellationToken: session.Token).ConfigureAwait(false);
                await using (lease.ConfigureAwait(false))
                {
                    var store = new ContainerdArtifactContentStore(session.Artifacts.Containerd, lease);
                    var created = await new SociIndexCreator(store, session.Artifacts.Database, report, progress)
                        .CreateAsync(source, wanted, allPlatforms, options, session.Token).ConfigureAwait(false);
                    await HoldIndexesAsync(session, source, created).ConfigureAwait(false);
                }
            }
            else
            {
                await new SociIndexCreator(session.Artifacts.Store, session.Artifacts.Database, report, progress)
                    .CreateAsync(source, wanted, allPlatforms, options, session.Token).ConfigureAwait(false);
            }

            display?.Finish();
        }));
        return command;
    }

    /// <summary>
    /// A containerd image gets upstream's label naming its (last built) index; an image that has no containerd record
    /// (an OCI layout or a registry image) cannot hold it, so each index becomes a GC root of its own.
    /// </summary>
    private static async Task HoldIndexesAsync(CliSession session, IImageSource source, IReadOnlyList<CreatedIndex> created)
    {
        if (source is ContainerdImageSource)
        {
            var labels = new Dictionary<string, string> { [SociIndexGcLabel] = created[^1].Index.Digest };
            await new ContainerdImageStore(session.Artifacts.Containerd).SetLabelsAsync(source.Name, labels, session.Token).ConfigureAwait(false);
            return;
        }

        var content = new ContainerdContentStore(session.Artifacts.Containerd);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var index in created)
        {
            await content.SetLabelsAsync(index.Index.Digest, new Dictionary<string, string> { [GcRootLabel] = now }, session.Token).ConfigureAwait(false);
        }
    }
}
