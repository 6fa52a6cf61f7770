using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary><c>soci index …</c>: list, inspect and remove local SOCI indexes (cli.md §6).</summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var command = new Command("index", "manage SOCI indexes");
        command.Subcommands.Add(IndexListCommand.Create());
        command.Subcommands.Add(IndexInfoCommand.Create());
        command.Subcommands.Add(IndexRemoveCommand.Create());
        return command;
    }
}
