using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary><c>soci ztoc …</c>: build, inspect and extract from ztocs (cli.md §7).</summary>
public static class ZtocCommand
{
    public static Command Create()
    {
        var command = new Command("ztoc", "build, inspect and extract from ztocs");
        command.Subcommands.Add(ZtocCreateCommand.Create());
        command.Subcommands.Add(ZtocInfoCommand.Create());
        command.Subcommands.Add(ZtocGetFileCommand.Create());
        return command;
    }
}
