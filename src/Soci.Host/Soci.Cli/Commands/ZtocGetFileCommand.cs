using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Containerd;
using Soci.Actors.Registry;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci ztoc get-file &lt;ztoc&gt; &lt;file&gt; [--layer LAYER] [-o out]</c> (cli.md §7): extract one file through the
/// ztoc's checkpoints (algorithms §5.2). As upstream, the layer is the one the artifacts database records for the
/// ztoc, read by range from containerd's content store; <c>--layer</c> (our extension) reads a local layer file
/// instead. The entry name is only a lookup key; nothing is written except <c>-o</c> or stdout.
/// </summary>
public static class ZtocGetFileCommand
{
    public static Command Create()
    {
        // Optional for the parser so a missing one gets upstream's message instead of the parser's.
        var ztocArgument = new Argument<string?>("ztoc") { Description = "ztoc digest (looked up in the content store) or ztoc file", Arity = ArgumentArity.ZeroOrOne };
        var fileArgument = new Argument<string?>("file") { Description = "exact TOC name of the file to extract", Arity = ArgumentArity.ZeroOrOne };
        var layer = new Option<string?>("--layer") { Description = "read the layer from this local file instead of containerd's content store" };
        var output = new Option<string?>("--output", "-o") { Description = "write the file here instead of stdout" };
        var command = new Command("get-file", "retrieve a file from a local image layer using a specified ztoc") { ztocArgument, fileArgument, layer, output };
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            if (parseResult.GetValue(ztocArgument) is not { Length: > 0 } argument || parseResult.GetValue(fileArgument) is not { Length: > 0 } name)
            {
                throw new ArgumentException("please provide both a ztoc digest and a filename to extract");
            }
            var layerFile = parseResult.GetValue(layer);
            var ztocFile = ZtocBlobLocator.TryReadFile(argument);
            var digest = ztocFile is null ? ZtocBlobLocator.ParseDigest(argument) : ContentDigest.Of(ztocFile);
            var extraction = new Extraction(parseResult, name, parseResult.GetValue(output));
            if (ztocFile is not null && layerFile is not null)
            {
                // Both local: no root, database or containerd involved.
                using var localLayer = new FileRangeReader(layerFile);
                await extraction.RunAsync(ZtocParser.Parse(ztocFile), localLayer, cancellationToken).ConfigureAwait(false);
                return;
            }

            using var session = CliSession.Open(parseResult, cancellationToken);
            if (layerFile is not null)
            {
                var bytes = await ZtocBlobLocator.LoadAsync(session.Artifacts, digest, session.Token).ConfigureAwait(false);
                using var localLayer = new FileRangeReader(layerFile);
                await extraction.RunAsync(ZtocParser.Parse(bytes), localLayer, session.Token).ConfigureAwait(false);
                return;
            }

            // Like upstream, the database entry comes first: it names the layer the ztoc was built for.
            var entry = session.Artifacts.Database.Get(digest)
                        ?? throw new ArtifactStoreException($"ztoc {digest} is not in the artifacts database (run `soci rebuild-db`, or give the layer with --layer)");
            var ztoc = ZtocParser.Parse(ztocFile ?? await ZtocBlobLocator.LoadAsync(session.Artifacts, digest, session.Token).ConfigureAwait(false));
            var content = new ContainerdContentStore(session.Artifacts.Containerd);
            var remoteLayer = await ContainerdBlobRangeReader.TryOpenAsync(content, entry.OriginalDigest, session.Token).ConfigureAwait(false)
                              ?? throw new ArtifactStoreException($"layer {entry.OriginalDigest} of ztoc {digest} is not in containerd's content store");
            await extraction.RunAsync(ztoc, remoteLayer, session.Token).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Where one named file goes: <c>-o</c> or stdout.</summary>
    private sealed class Extraction(ParseResult parseResult, string name, string? target)
    {
        public async Task RunAsync(Ztoc ztoc, IRangeReader layer, CancellationToken cancellationToken)
        {
            var reader = new LayerReader(ztoc, layer, verifySpans: false);
            // Look the name up first so a missing file leaves no empty output behind.
            reader.FindFile(name);
            if (target is null)
            {
                // File data is binary: bypass the text writer. Upstream appends a newline.
                await parseResult.InvocationConfiguration.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await using var stdout = Console.OpenStandardOutput();
                await reader.ExtractFileAsync(name, stdout, cancellationToken).ConfigureAwait(false);
                stdout.Write("\n"u8);
                return;
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            var file = new FileStream(target, options);
            try
            {
                await using (file.ConfigureAwait(false))
                {
                    await reader.ExtractFileAsync(name, file, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                // A failed read (layer gone, timeout) must not leave a truncated file that looks extracted.
                File.Delete(target);
                throw;
            }
        }
    }
}
