using System.CommandLine;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci ztoc get-file &lt;ztoc&gt; &lt;file&gt; --layer LAYER [-o out]</c>: extract one file through the ztoc's
/// checkpoints (algorithms §5.2). The entry name is only a lookup key; nothing is written except <c>-o</c> or stdout.
/// </summary>
public static class ZtocGetFileCommand
{
    public static Command Create()
    {
        var ztocArgument = new Argument<string>("ztoc") { Description = "ztoc digest (looked up in the content store) or ztoc file" };
        var fileArgument = new Argument<string>("file") { Description = "exact TOC name of the file to extract" };
        var layer = new Option<string>("--layer") { Description = "the layer blob the ztoc was built from", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "write the file here instead of stdout" };
        var command = new Command("get-file", "retrieve a file from a local image layer using a specified ztoc") { ztocArgument, fileArgument, layer, output };
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var ztoc = ZtocParser.Parse(ZtocBlobLocator.Load(
                parseResult.GetValue(ztocArgument)!,
                parseResult.GetValue(GlobalOptions.ContentStore)!,
                parseResult.GetValue(GlobalOptions.Root)!));
            using var range = new FileRangeReader(parseResult.GetValue(layer)!);
            var reader = new LayerReader(ztoc, range, verifySpans: false);
            var name = parseResult.GetValue(fileArgument)!;
            var target = parseResult.GetValue(output);
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
            await using var file = new FileStream(target, options);
            await reader.ExtractFileAsync(name, file, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }
}
