using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Soci.Formats.Index;
using Soci.Formats.Toc;

namespace Soci.Cli.Commands;

/// <summary>The index build flags of <c>create</c> and <c>convert</c> (cli.md §1).</summary>
internal sealed class BuildFlags
{
    public Option<long> SpanSize { get; } = new("--span-size")
    {
        Description = "minimum uncompressed bytes per span",
        DefaultValueFactory = _ => new SociIndexBuildOptions().SpanSize,
        CustomParser = result => Int64Flag(result, "span-size"),
    };

    public Option<long> MinLayerSize { get; } = new("--min-layer-size")
    {
        Description = "layers smaller than this many bytes get no ztoc",
        DefaultValueFactory = _ => SociIndexBuildOptions.DefaultMinLayerSize,
        CustomParser = result => Int64Flag(result, "min-layer-size"),
    };

    public Option<string[]> Optimizations { get; } = new("--optimizations")
    {
        Description = $"optimizations to apply (valid: {SociIndexBuildOptions.XattrOptimization}); repeatable or comma-separated",
    };

    public Option<bool> Force { get; } = new("--force", "-f") { Description = "rebuild ztocs even if the artifacts database has them" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { SpanSize, MinLayerSize, Optimizations, Force })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Upstream's flag parser message for a value that is not an int64 (too large, or not a number).</summary>
    private static long Int64Flag(ArgumentResult result, string flag)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"invalid value \"{text}\" for flag -{flag}: parse error");
        return 0;
    }

    /// <exception cref="SociIndexBuildException">A flag value upstream rejects.</exception>
    public SociIndexBuildOptions Parse(ParseResult parseResult, string artifactType)
    {
        var optimizations = (parseResult.GetValue(Optimizations) ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (optimizations.FirstOrDefault(value => value != SociIndexBuildOptions.XattrOptimization) is { } unknown)
        {
            throw new SociIndexBuildException($"optimization {unknown} is not a valid optimization [{SociIndexBuildOptions.XattrOptimization}]");
        }

        var options = new SociIndexBuildOptions
        {
            SpanSize = parseResult.GetValue(SpanSize),
            MinLayerSize = parseResult.GetValue(MinLayerSize),
            BuildTool = Ztoc.DefaultBuildTool,
            ArtifactType = artifactType,
            DisableXattrsWhenUnused = optimizations.Count > 0,
            ReuseExistingZtocs = !parseResult.GetValue(Force),
        };
        options.Validate();
        return options;
    }
}
