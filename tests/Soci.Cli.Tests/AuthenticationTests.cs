using System.Text;
using System.Text.Json.Nodes;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Formats.Index;
using Soci.TestEnvironment.Registry;

namespace Soci.Cli.Tests;

/// <summary>`soci push` credentials (cli.md §4): `--user`, else the Docker config file, else anonymous.</summary>
public sealed class AuthenticationTests
{
    private static readonly BasicCredentials Credentials = new("soci", "s3cret");

    [Fact]
    public async Task Push_authenticates_with_user_or_the_docker_config_and_fails_clearly_without_credentials()
    {
        await using var stack = await CliStack.Create("cli-auth").WithRegistryAsync(new RegistryOptions { BasicAuth = Credentials });
        (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess();
        var empty = new Dictionary<string, string> { ["DOCKER_CONFIG"] = stack.Directory.Sub("no-docker-config") };
        var configured = new Dictionary<string, string> { ["DOCKER_CONFIG"] = DockerConfig(stack) };

        var anonymous = await stack.SociAsync(empty, "--content-store", "soci", "push", stack.ImageReference);
        var withUser = await stack.SociAsync(empty, "--content-store", "soci", "push", "-q", "--user", Credentials.AsUserColonPassword, stack.ImageReference);
        var withConfig = await stack.SociAsync(configured, "--content-store", "soci", "push", "-q", "--existing-index", "allow", stack.ImageReference);

        Assert.Equal(1, anonymous.ExitCode);
        Assert.StartsWith("soci: ", anonymous.StandardError, StringComparison.Ordinal);
        Assert.Contains("401", anonymous.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Credentials.Password, withUser.StandardOutput + withUser.StandardError, StringComparison.Ordinal);
        var index = Assert.Single(CliStack.Lines(withUser.EnsureSuccess().StandardOutput));
        Assert.Equal(index, Assert.Single(CliStack.Lines(withConfig.EnsureSuccess().StandardOutput)));
        using var client = new RegistryClient(new RegistryClientOptions
        {
            Credentials = new StaticCredentialProvider(stack.Registry!.Host, new RegistryCredentials(Credentials.User, Credentials.Password)),
        });
        var referrers = await client.Repository(stack.Registry.Host, "synthetic").GetReferrersAsync(stack.Manifest.Digest, SociMediaTypes.IndexV1);
        Assert.All(referrers, referrer => Assert.Equal(index, referrer.Digest));
        Assert.NotEmpty(referrers);
    }

    private static string DockerConfig(CliStack stack)
    {
        var directory = stack.Directory.Sub("docker-config");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials.AsUserColonPassword));
        var config = new JsonObject { ["auths"] = new JsonObject { [stack.Registry!.Host] = new JsonObject { ["auth"] = auth } } };
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());
        return directory;
    }
}
