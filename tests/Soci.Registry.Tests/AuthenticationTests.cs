using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Oci;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

public sealed class AuthenticationTests
{
    private static readonly BasicCredentials User = new("soci", "s3cret-password");

    [Fact]
    public async Task Basic_auth_credentials_come_from_the_docker_config_auths_entry()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { BasicAuth = User });
        var image = await TestImage.PushAsync(directory, registry, "private", "v1");
        var config = directory.File("config.json");
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(User.AsUserColonPassword));
        await File.WriteAllTextAsync(config, $$$"""{"auths":{"http://{{{registry.Host}}}/v1/":{"auth":"{{{auth}}}"} } }""");
        using var client = Clients.For(registry, new DockerConfigCredentialProvider(config));

        var resolved = await client.Repository(registry.Host, "private").ResolveAsync("v1", OciPlatform.Parse("linux/amd64"));

        Assert.Equal(image.Manifest.Digest, resolved.Manifest.Descriptor.Digest);
    }

    [Fact]
    public async Task Without_credentials_a_basic_auth_registry_refuses_and_the_error_names_the_repository()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { BasicAuth = User });
        using var client = Clients.For(registry);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.Repository(registry.Host, "private").GetManifestAsync("v1"));

        Assert.Contains($"{registry.Host}/private:v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_and_never_appear_in_the_error()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { BasicAuth = User });
        using var client = Clients.For(registry, new StaticCredentialProvider(registry.Host, new RegistryCredentials("soci", "wrong-password-xyz")));

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.Repository(registry.Host, "private").GetManifestAsync("v1"));

        Assert.DoesNotContain("wrong-password-xyz", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_registry_is_reached_through_its_generated_ca_and_refused_without_it()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { Tls = true, BasicAuth = User });
        var image = await TestImage.PushAsync(directory, registry, "tls", "v1");
        using var trusting = Clients.For(registry, new StaticCredentialProvider(registry.Host, new RegistryCredentials(User.User, User.Password)));
        using var untrusting = Clients.Plain();

        var manifest = await trusting.Repository(registry.Host, "tls").GetManifestAsync("v1");
        var blob = await trusting.Repository(registry.Host, "tls").OpenBlobAsync(image.LargestLayer.Digest);
        var buffer = new byte[1000];
        await blob.ReadAsync(500, buffer);

        Assert.Equal(image.Manifest.Digest, manifest.Descriptor.Digest);
        Assert.Equal(image.Blob(image.LargestLayer.Digest).AsSpan(500, 1000).ToArray(), buffer);
        var refused = new Soci.Actors.Registry.Hosts.RegistryHostsConfiguration().WithPlainHttp(registry.Host, false);
        using var withoutCa = new RegistryClient(new RegistryClientOptions { Hosts = refused, Retry = Clients.FastRetries });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => withoutCa.Repository(registry.Host, "tls").GetManifestAsync("v1"));
    }

    [Fact]
    public async Task The_bearer_token_flow_fetches_one_token_per_scope_and_renews_it_when_revoked()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "tokens", "v1");
        await using var tokens = TokenServer.Start(registry, User);
        using var client = Clients.Plain(new StaticCredentialProvider(tokens.Host, new RegistryCredentials(User.User, User.Password)));
        var repository = client.Repository(tokens.Host, "tokens");

        for (var i = 0; i < 3; i++)
        {
            await repository.GetManifestAsync("v1");
            await repository.GetBlobAsync(image.Layers[0]);
        }

        Assert.Equal(1, tokens.TokensIssued);
        Assert.Equal(1, client.Transport.Authentication.TokensFetched);
        tokens.RevokeAll();
        await repository.GetManifestAsync(image.Manifest.Digest);
        Assert.Equal(2, tokens.TokensIssued);
    }

    [Fact]
    public async Task An_anonymous_client_gets_no_token_from_a_token_service_that_requires_credentials()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory);
        await using var tokens = TokenServer.Start(registry, User);
        using var client = Clients.Plain();

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.Repository(tokens.Host, "tokens").GetManifestAsync("v1"));

        Assert.Contains("token service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_helper_named_in_the_docker_config_supplies_the_token_service_credentials()
    {
        await using var directory = TestDirectory.Create("registry-auth");
        var registry = await LocalRegistry.StartAsync(directory);
        await TestImage.PushAsync(directory, registry, "helper", "v1");
        await using var tokens = TokenServer.Start(registry, User);
        var helperName = "soci-test-" + Guid.NewGuid().ToString("N")[..8];
        var bin = directory.Sub("bin");
        var helper = Path.Combine(bin, "docker-credential-" + helperName);
        var asked = directory.File("asked");
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            [ "$1" = get ] || exit 1
            read server
            echo "$server" > '{{asked}}'
            echo '{"ServerURL":"'"$server"'","Username":"{{User.User}}","Secret":"{{User.Password}}"}'
            """);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = directory.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""{"credHelpers":{"{{{tokens.Host}}}":"{{{helperName}}}"} }""");
        Environment.SetEnvironmentVariable("PATH", bin + ":" + Environment.GetEnvironmentVariable("PATH"));
        using var client = Clients.Plain(new DockerConfigCredentialProvider(config));

        var manifest = await client.Repository(tokens.Host, "helper").GetManifestAsync("v1");

        Assert.Equal(OciMediaTypes.ImageManifest, manifest.Descriptor.MediaType);
        Assert.Equal(tokens.Host, (await File.ReadAllTextAsync(asked)).Trim());
        Assert.Equal(1, tokens.TokensIssued);
    }
}
