using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary>
/// Flags upstream's <c>soci push</c> accepts but does not act on (cli.md §4). They are accepted, so scripts written
/// for upstream run unchanged, and described as having no effect.
/// </summary>
internal static class UpstreamCompatibilityFlags
{
    public static void AddTo(Command command)
    {
        const string Ignored = "accepted for compatibility with upstream; has no effect";
        command.Options.Add(new Option<bool>("--skip-verify", "-k") { Description = Ignored });
        command.Options.Add(new Option<bool>("--refresh") { Description = Ignored });
        command.Options.Add(new Option<bool>("--http-dump") { Description = Ignored });
        command.Options.Add(new Option<bool>("--http-trace") { Description = Ignored });
        foreach (var name in new[] { "--hosts-dir", "--tlscacert", "--tlscert", "--tlskey", "--snapshotter" })
        {
            command.Options.Add(new Option<string?>(name) { Description = Ignored });
        }
    }
}
