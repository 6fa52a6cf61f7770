using System.CommandLine;
using System.Security.Cryptography;
using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary><c>soci ztoc create</c> (our extension): build a ztoc for a local layer file.</summary>
public static class ZtocCreateCommand
{
    public static Command Create()
    {
        var layerArgument = new Argument<string>("layer") { Description = "layer blob (gzip-compressed or uncompressed tar)" };
        var spanSize = new Option<long>("--span-size")
        {
            Description = "minimum uncompressed bytes per span",
            DefaultValueFactory = _ => ZtocBuilder.DefaultSpanSize,
        };
        var buildTool = new Option<string>("--build-tool")
        {
            Description = "build tool identifier recorded in the ztoc",
            DefaultValueFactory = _ => Ztoc.DefaultBuildTool,
        };
        var output = new Option<string>("--output", "-o") { Description = "where to write the ztoc", Required = true };
        var command = new Command("create", "build a ztoc for a local layer file") { layerArgument, spanSize, buildTool, output };
        command.SetAction((parseResult, _) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var size = parseResult.GetValue(spanSize);
            if (size < 0)
            {
                throw new ArgumentException($"invalid span size {size}");
            }
            var ztoc = new ZtocBuilder(parseResult.GetValue(buildTool)!).BuildFromFile(parseResult.GetValue(layerArgument)!, size);
            var bytes = ZtocSerializer.Serialize(ztoc);
            await File.WriteAllBytesAsync(parseResult.GetValue(output)!, bytes).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes))).ConfigureAwait(false);
        }));
        return command;
    }
}
