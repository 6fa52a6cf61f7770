using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Containerd;
using Soci.Actors.Conversion;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Push;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci convert [flags] &lt;source&gt; &lt;dest&gt;</c> (cli.md §3): builds a SOCI-enabled image (v2 SOCI indexes
/// bound through annotated manifests in a new OCI index). A containerd source becomes the containerd image
/// <c>dest</c> (upstream); with <c>--standalone</c> an OCI layout directory or tar becomes an OCI archive or directory;
/// otherwise the source (an OCI layout directory or a registry image) is converted in a temporary layout and
/// pushed to the registry reference <c>dest</c>.
/// </summary>
public static class ConvertCommand
{
    private const string ArchiveFormat = "oci-archive";
    private const string DirectoryFormat = "oci-dir";

    public static Command Create()
    {
        var source = new Argument<string?>("source") { Description = "containerd image, OCI layout directory (or tar with --standalone) or registry reference", Arity = ArgumentArity.ZeroOrOne };
        var destination = new Argument<string?>("dest") { Description = "tagged image reference, or the output path with --standalone", Arity = ArgumentArity.ZeroOrOne };
        var standalone = new Option<bool>("--standalone") { Description = "convert an OCI layout without containerd or a registry" };
        var format = new Option<string>("--format")
        {
            Description = $"standalone output: {ArchiveFormat} or {DirectoryFormat}",
            DefaultValueFactory = _ => ArchiveFormat,
        };
        var platforms = new PlatformFlags();
        var build = new BuildFlags();
        var registry = new RegistryFlags();
        var command = new Command("convert", "convert an image into a SOCI-enabled image (index manifest v2)") { source, destination, standalone, format };
        platforms.AddTo(command);
        build.AddTo(command);
        registry.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var outputFormat = parseResult.GetValue(format)!;
            if (outputFormat is not (ArchiveFormat or DirectoryFormat))
            {
                throw new ArgumentException($"unsupported output format \"{outputFormat}\": must be \"{ArchiveFormat}\" or \"{DirectoryFormat}\"");
            }

            var from = parseResult.GetValue(source) is { Length: > 0 } s ? s : throw new ArgumentException("source image needs to be specified");
            var to = parseResult.GetValue(destination) is { Length: > 0 } d ? d : throw new ArgumentException("destination needs to be specified");
            var options = new ConvertOptions
            {
                Build = build.Parse(parseResult, SociMediaTypes.IndexV2),
                AllPlatforms = platforms.AllPlatforms(parseResult),
                Platforms = platforms.Parse(parseResult),
            };
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(standalone))
            {
                using var deadline = CliSession.Deadline(parseResult, cancellationToken);
                await ConvertStandaloneAsync(from, to, outputFormat == DirectoryFormat, options, output, deadline.Token).ConfigureAwait(false);
                return;
            }

            var target = ConvertDestination.Parse(to);
            using var session = CliSession.Open(parseResult, cancellationToken);
            if (session.Artifacts.Store is ContainerdArtifactContentStore
                && await ContainerdImageSource.TryOpenAsync(session.Artifacts.Containerd, from, session.Token).ConfigureAwait(false) is { } image)
            {
                await ConvertInContainerdAsync(session, image, target, options).ConfigureAwait(false);
                return;
            }

            await ConvertAndPushAsync(session, parseResult, registry, from, target, options).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task ConvertStandaloneAsync(string input, string output, bool asDirectory, ConvertOptions options, TextWriter report,
        CancellationToken cancellationToken)
    {
        using var layout = WorkLayout.Open(input, output);
        var root = await layout.SelectRootAsync(cancellationToken).ConfigureAwait(false);
        var result = await new SociImageConverter(layout.Content, null, report.WriteLine).ConvertAsync(root, options, cancellationToken).ConfigureAwait(false);
        await layout.WriteAsync(result.Index, output, asDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Upstream's mode: convert inside containerd's content store under a lease, then point the image <c>dest</c> at the result.</summary>
    private static async Task ConvertInContainerdAsync(CliSession session, ContainerdImageSource image, ImageReference target, ConvertOptions options)
    {
        var containerd = session.Artifacts.Containerd;
        var lease = await ContainerdLease.CreateAsync(containerd, "soci-convert", cancellationToken: session.Token).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            var converter = new SociImageConverter(ArtifactContent.Of(session.Artifacts, lease), new ArtifactsDbCatalog(session.Artifacts.Database), session.Output.WriteLine);
            var result = await converter.ConvertAsync(image.Target, options, session.Token).ConfigureAwait(false);
            await new ContainerdImageStore(containerd, lease)
                .CreateOrUpdateAsync(target.ToString(), OciMediaTypes.ImageIndex, result.Index.Digest, result.Index.Size, cancellationToken: session.Token)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An OCI layout directory or a registry image is converted in a temporary layout (registry content is fetched as
    /// the conversion needs it) and the new image pushed to <paramref name="target"/>; nothing is kept locally.
    /// </summary>
    private static async Task ConvertAndPushAsync(CliSession session, ParseResult parseResult, RegistryFlags registry, string from,
        ImageReference target, ConvertOptions options)
    {
        using var layout = Directory.Exists(from) ? WorkLayout.Open(from, Path.GetTempPath()) : WorkLayout.Empty(Path.GetTempPath());
        using var sourceClient = Directory.Exists(from) ? null : registry.Client(parseResult, RegistryFlags.ParseReference(from, "source image"));
        IImageContent content = layout.Content;
        OciDescriptor root;
        if (sourceClient is null)
        {
            root = await layout.SelectRootAsync(session.Token).ConfigureAwait(false);
        }
        else
        {
            var reference = RegistryFlags.ParseReference(from, "source image");
            (content, root) = await RegistryImageContent.OpenAsync(sourceClient.Repository(reference), reference.ManifestReference, layout.Content, session.Token)
                .ConfigureAwait(false);
        }

        var result = await new SociImageConverter(content, null, session.Output.WriteLine).ConvertAsync(root, options, session.Token).ConfigureAwait(false);
        using var targetClient = registry.Client(parseResult, target);
        var repository = targetClient.Repository(target);
        try
        {
            await new ContentGraphPusher(content, repository, SociIndexPushOptions.DefaultMaxConcurrentUploads, (_, _) => { })
                .PushAsync(result.Index, (descriptor, bytes, token) => repository.PushManifestAsync(target.Tag!, descriptor.MediaType, bytes, token), session.Token)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is RegistryException or ImageContentNotFoundException)
        {
            throw new SociPushException($"error pushing {target}: {error.Message}", error);
        }

        await session.Output.WriteLineAsync($"pushed {target} with digest: {result.Index.Digest}").ConfigureAwait(false);
    }
}
