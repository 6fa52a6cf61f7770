using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Push;
using Soci.Formats.Index;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci push [flags] &lt;image_ref&gt;</c> (cli.md §4): for each platform of the image, pushes the newest v1 SOCI
/// index the artifacts DB has for its manifest, with its ztocs, to the image's repository, registering it as a
/// referrer of the manifest (Referrers API or the <c>sha256-&lt;hex&gt;</c> tag fallback).
/// </summary>
public static class PushCommand
{
    private const string V2Warning =
        "[WARN] Skippping SOCI index manifest v2. You should push the whole image with higher level tools like finch or nerdctl.";

    public static Command Create()
    {
        var image = new Argument<string?>("image_ref") { Description = "image whose SOCI index to push (its registry reference)", Arity = ArgumentArity.ZeroOrOne };
        var existingIndex = new Option<string>("--existing-index")
        {
            Description = "when the repository already has a SOCI index for the manifest: warn, skip or allow",
            DefaultValueFactory = _ => "warn",
        };
        var maxUploads = new Option<ulong>("--max-concurrent-uploads")
        {
            Description = "uploads running at the same time",
            DefaultValueFactory = _ => SociIndexPushOptions.DefaultMaxConcurrentUploads,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only the pushed index digests" };
        var platforms = new PlatformFlags();
        var registry = new RegistryFlags();
        var command = new Command("push", "push SOCI artifacts (index manifest v1) to a registry") { image, existingIndex, maxUploads, quiet };
        platforms.AddTo(command);
        registry.AddTo(command);
        UpstreamCompatibilityFlags.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var text = parseResult.GetValue(image) is { Length: > 0 } given ? given : throw new ArgumentException("please provide an image reference to push");
            var options = new SociIndexPushOptions
            {
                ExistingIndex = ExistingIndexPolicies.Parse(parseResult.GetValue(existingIndex)!),
                MaxConcurrentUploads = UploadConcurrency(parseResult.GetValue(maxUploads), parseResult.InvocationConfiguration.Error),
                Quiet = parseResult.GetValue(quiet),
            };
            var reference = RegistryFlags.ParseReference(text, "image reference to push");
            using var session = CliSession.Open(parseResult, cancellationToken);
            var (source, sourceClient) = await ImageLocator.OpenAsync(session, parseResult, registry, text).ConfigureAwait(false);
            using var sourceScope = source;
            using var sourceClientScope = sourceClient;
            var manifests = await PlatformManifestResolver.ResolveAsync(source, platforms.Parse(parseResult), platforms.AllPlatforms(parseResult), session.Token)
                .ConfigureAwait(false);

            using var client = registry.Client(parseResult, reference);
            var pusher = new SociIndexPusher(ArtifactContent.Of(session.Artifacts), client.Repository(reference), session.Output);
            foreach (var manifest in manifests)
            {
                var index = NewestV1Index(session, manifest);
                await pusher.PushAsync(index.Digest, options, session.Token).ConfigureAwait(false);
            }
        }));
        return command;
    }

    /// <summary>The most recently created v1 index recorded for the platform manifest (v2 ones are skipped with upstream's warning).</summary>
    private static ArtifactEntry NewestV1Index(CliSession session, PlatformImage manifest)
    {
        var entries = session.Artifacts.Database.IndexesFor(manifest.ManifestDescriptor.Digest);
        foreach (var _ in entries.Where(entry => entry.ArtifactType == SociMediaTypes.IndexV2))
        {
            session.Output.WriteLine(V2Warning);
        }

        return entries.Where(entry => entry.ArtifactType == SociMediaTypes.IndexV1).MaxBy(entry => entry.CreatedAt)
               ?? throw new ArtifactStoreException($"could not find any soci index manifest v1 to push for platform {manifest.Platform}");
    }

    /// <summary>0 means the default; a value no int holds is reported and replaced by the default, as upstream does.</summary>
    private static int UploadConcurrency(ulong value, TextWriter error)
    {
        if (value == 0)
        {
            return SociIndexPushOptions.DefaultMaxConcurrentUploads;
        }

        if (value > int.MaxValue)
        {
            error.WriteLine($"warning: overflow for setting --max-concurrent-uploads={value}; defaulting to {SociIndexPushOptions.DefaultMaxConcurrentUploads}");
            return SociIndexPushOptions.DefaultMaxConcurrentUploads;
        }

        return (int)value;
    }
}
