using System.CommandLine;
using System.CommandLine.Invocation;
using Soci.Actors;

namespace Soci.Host;

/// <summary>Prints upstream's version line (`&lt;program&gt; version &lt;version&gt; &lt;revision&gt;`) instead of the bare assembly version.</summary>
public sealed class VersionLineAction(string program) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.VersionLine(program));
        return 0;
    }

    /// <summary>Replaces the root command's built-in version action and adds upstream's `-v` alias.</summary>
    public static void Install(RootCommand root, string program)
    {
        var version = root.Options.OfType<VersionOption>().Single();
        version.Aliases.Add("-v");
        version.Action = new VersionLineAction(program);
    }
}
