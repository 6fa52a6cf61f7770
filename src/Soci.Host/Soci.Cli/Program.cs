using System.CommandLine;
using Soci.Cli;
using Soci.Host;

var root = new RootCommand("soci: build, inspect and push SOCI indexes for lazily loaded container images");
GlobalOptions.AddTo(root);
VersionLineAction.Install(root, "soci");
root.Subcommands.Add(Soci.Cli.Commands.ZtocCommand.Create());
root.Subcommands.Add(Soci.Cli.Commands.ImageCommand.Create());

return await root.Parse(args).InvokeAsync();
