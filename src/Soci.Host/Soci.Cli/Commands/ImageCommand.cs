using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary><c>soci image …</c>: images in containerd for the soci snapshotter.</summary>
public static class ImageCommand
{
    public static Command Create()
    {
        var command = new Command("image", "manage images in containerd for the soci snapshotter");
        command.Subcommands.Add(ImageRpullCommand.Create());
        return command;
    }
}
