using System.CommandLine;
using Soci.Actors.Conversion;
using Soci.Actors.Registry.Oci;

namespace Soci.Cli.Commands;

/// <summary>
/// The platform flags (cli.md §1): <c>--all-platforms</c> and the repeatable <c>--platform</c>/<c>-p</c>, whose values
/// are also split on commas like urfave/cli slice flags.
/// </summary>
internal sealed class PlatformFlags
{
    public Option<bool> All { get; } = new("--all-platforms") { Description = "all platforms the image declares" };

    public Option<string[]> Platforms { get; } = new("--platform", "-p")
    {
        Description = "platform (e.g. linux/amd64); repeatable or comma-separated",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(All);
        command.Options.Add(Platforms);
    }

    public bool AllPlatforms(ParseResult parseResult) => parseResult.GetValue(All);

    /// <summary>The explicit platforms, parsed and without duplicates; empty when none were given.</summary>
    public IReadOnlyList<OciPlatform> Parse(ParseResult parseResult) =>
        (parseResult.GetValue(Platforms) ?? [])
        .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Select(ConvertPlatforms.ParseFlag)
        .DistinctBy(platform => platform.ToString())
        .ToList();
}
