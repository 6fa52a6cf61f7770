using Soci.Actors.Containerd;
using Soci.Actors.Pull;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Oci;
using Soci.TestEnvironment.Registry;

namespace Soci.Pull.Tests;

/// <summary>Bad input fails with an error that names what was wrong, and leaves nothing in containerd.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task An_unknown_tag_fails_naming_the_image_and_leaves_containerd_empty()
    {
        await using var stack = await PullStack.StartAsync("rpull-unknown");
        await stack.PushSyntheticAsync();

        var error = await Assert.ThrowsAsync<RegistryNotFoundException>(() => stack.RpullAsync($"{stack.Registry.Host}/synthetic:no-such-tag"));

        Assert.Contains("no-such-tag", error.Message);
        Assert.Empty(await stack.CtrLinesAsync("images", "list", "--quiet"));
        Assert.Empty(await stack.CtrLinesAsync("leases", "list", "--quiet"));
    }

    [Fact]
    public async Task A_platform_the_image_is_not_built_for_is_refused_before_anything_is_stored()
    {
        await using var stack = await PullStack.StartAsync("rpull-platform");
        var reference = await stack.PushSyntheticAsync();

        var error = await Assert.ThrowsAsync<ImagePullException>(() =>
            stack.RpullAsync(reference, new ImagePullOptions { Platform = OciPlatform.Parse("linux/arm64") }));

        Assert.Contains("is for platform linux/amd64, not linux/arm64", error.Message);
        Assert.Empty(await stack.CtrLinesAsync("content", "list", "--quiet"));
    }

    [Fact]
    public async Task Wrong_credentials_fail_as_an_authentication_error()
    {
        var credentials = new BasicCredentials("soci", "right-password");
        await using var stack = await PullStack.StartAsync("rpull-auth", new RegistryOptions { BasicAuth = credentials });
        var reference = await stack.PushSyntheticAsync();

        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => stack.RpullAsync(reference, null,
            new StaticCredentialProvider(stack.Registry.Host, new RegistryCredentials("soci", "wrong-password"))));
        var pulled = await stack.RpullAsync(reference, null, new StaticCredentialProvider(stack.Registry.Host, new RegistryCredentials("soci", "right-password")));
        Assert.Equal(3, pulled.Layers.Count);
    }

    [Fact]
    public async Task The_cli_reports_wrong_credentials_and_a_malformed_platform_as_soci_errors()
    {
        var credentials = new BasicCredentials("soci", "right-password");
        await using var stack = await PullStack.StartAsync("rpull-cli-errors", new RegistryOptions { BasicAuth = credentials });
        var reference = await stack.PushSyntheticAsync();

        var wrongUser = await stack.SociAsync("image", "rpull", "--user", "soci:wrong", reference);
        var badPlatform = await stack.SociAsync("image", "rpull", "--platform", "linux", reference);
        var badReference = await stack.SociAsync("image", "rpull", "UPPER/case");

        Assert.Equal(1, wrongUser.ExitCode);
        Assert.StartsWith("soci: ", wrongUser.StandardError);
        Assert.Equal(1, badPlatform.ExitCode);
        Assert.Contains("soci: could not parse platform linux", badPlatform.StandardError);
        Assert.Equal(1, badReference.ExitCode);
        Assert.Contains("soci: invalid image reference \"UPPER/case\"", badReference.StandardError);
    }

    [Fact]
    public async Task Rpull_from_a_registry_that_never_answers_ends_when_the_timeout_elapses()
    {
        await using var stack = await PullStack.StartAsync("rpull-timeout");
        // Accepts connections and never answers: without a deadline the pull would wait forever.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await stack.SociAsync("--timeout", "2s", "image", "rpull", "--plain-http", $"127.0.0.1:{port}/silent:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("soci: operation cancelled: timeout exceeded", result.StandardError);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"rpull took {clock.Elapsed} with --timeout 2s");
        Assert.Empty(await stack.CtrLinesAsync("leases", "list", "--quiet"));
    }

    [Fact]
    public async Task A_containerd_socket_nobody_listens_on_is_reported_as_unreachable()
    {
        await using var directory = Soci.TestEnvironment.TestDirectory.Create("rpull-no-containerd");
        var socket = directory.File("nothing.sock");
        using var containerd = ContainerdConnection.Open("unix://" + socket, "default");

        var error = await Assert.ThrowsAsync<ContainerdException>(() => ContainerdLease.CreateAsync(containerd, "probe"));

        Assert.Contains($"containerd is not reachable at {socket} (no such socket)", error.Message);
        Assert.DoesNotContain("localhost:80", error.Message);
    }

    [Fact]
    public async Task A_stale_containerd_socket_file_is_reported_as_refusing_connections()
    {
        await using var directory = Soci.TestEnvironment.TestDirectory.Create("rpull-stale-socket");
        var socket = directory.File("stale.sock");
        // Bound but never listening, like the socket of a daemon that died: connecting is refused. (Disposing it
        // would delete the file.)
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        using var containerd = ContainerdConnection.Open("unix://" + socket, "default");

        var error = await Assert.ThrowsAsync<ContainerdException>(() => ContainerdLease.CreateAsync(containerd, "probe"));

        var expected = $"containerd is not reachable at {socket} (ConnectionRefused: nothing accepts connections on the socket)";
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
    }
}
