using System.CommandLine;
using Soci.Cli;
using Soci.Cli.Commands;
using Soci.Host;

var root = new RootCommand("soci: build, inspect and push SOCI indexes for lazily loaded container images");
GlobalOptions.AddTo(root);
VersionLineAction.Install(root, "soci");
root.Subcommands.Add(CreateCommand.Create());
root.Subcommands.Add(IndexCommand.Create());
// `ztoc list` reads the artifacts DB (Soci.Actors); the rest of the group depends on Soci.Formats only, which keeps
// it testable in-process from Soci.Formats.Tests, so the list command joins the group here.
var ztoc = ZtocCommand.Create();
ztoc.Subcommands.Add(ListZtocsCommand.Create());
root.Subcommands.Add(ztoc);
root.Subcommands.Add(RebuildDbCommand.Create());
root.Subcommands.Add(PushCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(ImageCommand.Create());

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // Bad flags and arguments are reported like every other error (cli.md §0), not with a help dump.
    foreach (var error in parseResult.Errors)
    {
        await Console.Error.WriteLineAsync($"soci: {error.Message}");
    }

    return 1;
}

return await parseResult.InvokeAsync();
