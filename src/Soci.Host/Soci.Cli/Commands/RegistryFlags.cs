using System.CommandLine;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;

namespace Soci.Cli.Commands;

/// <summary>
/// How commands that talk to a registry authenticate and connect (cli.md §4): <c>--user</c>/<c>-u</c>
/// (<c>user[:password]</c>, else the Docker config file, else anonymous) and <c>--plain-http</c>.
/// </summary>
internal sealed class RegistryFlags
{
    public Option<string?> User { get; } = new("--user", "-u") { Description = "registry credentials as user[:password] (default: docker config)" };

    public Option<bool> PlainHttp { get; } = new("--plain-http") { Description = "talk to the registry over HTTP instead of HTTPS" };

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(PlainHttp);
    }

    /// <summary>A client for the registry of <paramref name="reference"/>, configured from the flags.</summary>
    public RegistryClient Client(ParseResult parseResult, ImageReference reference)
    {
        ICredentialProvider credentials = parseResult.GetValue(User) is { Length: > 0 } user
            ? new StaticCredentialProvider(reference.Domain, RegistryCredentials.ParseUserFlag(user))
            : new DockerConfigCredentialProvider(DockerConfigCredentialProvider.DefaultPath());
        var hosts = new RegistryHostsConfiguration();
        if (parseResult.GetValue(PlainHttp))
        {
            hosts.WithPlainHttp(reference.Domain, true);
        }

        return new RegistryClient(new RegistryClientOptions { Credentials = credentials, Hosts = hosts });
    }

    /// <summary>Parses a registry reference, naming the argument in the error.</summary>
    public static ImageReference ParseReference(string text, string what)
    {
        try
        {
            return ImageReference.Parse(text);
        }
        catch (FormatException error)
        {
            throw new ArgumentException($"invalid {what} \"{text}\": {error.Message}", error);
        }
    }
}
