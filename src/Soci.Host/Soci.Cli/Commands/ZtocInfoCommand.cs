using System.CommandLine;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary><c>soci ztoc info &lt;digest-or-ztoc-file&gt;</c>: upstream's indented JSON summary of a ztoc.</summary>
public static class ZtocInfoCommand
{
    public static Command Create()
    {
        var ztocArgument = new Argument<string>("ztoc") { Description = "ztoc digest (looked up in the content store) or ztoc file" };
        var command = new Command("info", "display ztoc information") { ztocArgument };
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var argument = parseResult.GetValue(ztocArgument)!;
            var bytes = ZtocBlobLocator.TryReadFile(argument);
            if (bytes is null)
            {
                var digest = ZtocBlobLocator.ParseDigest(argument);
                using var session = CliSession.Open(parseResult, cancellationToken);
                bytes = await ZtocBlobLocator.LoadAsync(session.Artifacts, digest, session.Token).ConfigureAwait(false);
            }

            var ztoc = ZtocParser.Parse(bytes);
            await parseResult.InvocationConfiguration.Output.WriteAsync(ZtocInfo.Render(ztoc, bytes.Length) + "\n").ConfigureAwait(false);
        }));
        return command;
    }
}
