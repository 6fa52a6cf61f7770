using System.Text.RegularExpressions;
using Soci.Formats.Index;

namespace Soci.Cli.Tests;

/// <summary>The CLI against a private containerd (the default content store): `ctr image pull` + `soci create` + `soci push`, convert, rebuild-db.</summary>
public sealed class ContainerdCommandsTests
{
    [Fact]
    public async Task Ctr_pull_then_create_and_push_make_the_index_discoverable_in_the_registry()
    {
        await using var stack = await (await CliStack.Create("cli-workflow").WithRegistryAsync()).WithContainerdAsync();
        (await stack.Containerd!.CtrAsync("images", "pull", "--plain-http", stack.ImageReference)).EnsureSuccess();

        var create = (await stack.SociAsync("create", stack.ImageReference)).EnsureSuccess();
        var push = (await stack.SociAsync("push", stack.ImageReference)).EnsureSuccess();

        Assert.Contains(" -> ztoc sha256:", create.StandardOutput, StringComparison.Ordinal);
        var index = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));
        var images = (await stack.Containerd.CtrAsync("images", "list")).EnsureSuccess().StandardOutput;
        Assert.Contains($"containerd.io/gc.ref.content.soci-index={index}", images, StringComparison.Ordinal);
        var row = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list")).EnsureSuccess().StandardOutput)[1..]);
        Assert.Matches($"^{index} +[0-9]+ +{stack.ImageReference} +linux/amd64 ", row);
        Assert.Contains($"pushing soci index with digest: {index}", push.StandardOutput, StringComparison.Ordinal);
        using var client = stack.RegistryClient();
        var referrer = Assert.Single(await client.Repository(stack.Registry!.Host, "synthetic").GetReferrersAsync(stack.Manifest.Digest, SociMediaTypes.IndexV1));
        Assert.Equal(index, referrer.Digest);
    }

    [Fact]
    public async Task With_the_soci_store_an_image_pulled_into_containerd_is_read_from_containerd()
    {
        await using var stack = await (await CliStack.Create("cli-soci-store-containerd").WithRegistryAsync()).WithContainerdAsync();
        (await stack.Containerd!.CtrAsync("images", "pull", "--plain-http", stack.ImageReference)).EnsureSuccess();
        await stack.Registry!.StopAsync();

        var create = (await stack.SociStoreAsync("create", stack.ImageReference)).EnsureSuccess();

        var ztoc = Assert.Single(CliStack.Lines(create.StandardOutput), line => line.StartsWith("layer ", StringComparison.Ordinal)).Split(" -> ztoc ")[1];
        Assert.NotEmpty(stack.SociStoreBlob(ztoc));
        var index = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));
        Assert.NotEmpty(stack.SociStoreBlob(index));
    }

    [Fact]
    public async Task Convert_in_containerd_creates_the_destination_image_and_push_refuses_its_v2_index()
    {
        await using var stack = await (await CliStack.Create("cli-convert-containerd").WithRegistryAsync()).WithContainerdAsync();
        (await stack.Containerd!.CtrAsync("images", "pull", "--plain-http", stack.ImageReference)).EnsureSuccess();
        var destination = stack.Registry!.Reference("synthetic", "v1-soci");

        (await stack.SociAsync("convert", stack.ImageReference, destination)).EnsureSuccess();

        var images = CliStack.Lines((await stack.Containerd.CtrAsync("images", "list")).EnsureSuccess().StandardOutput);
        Assert.Matches("application/vnd.oci.image.index.v1\\+json", Assert.Single(images, line => line.StartsWith(destination + " ", StringComparison.Ordinal)));
        var row = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list")).EnsureSuccess().StandardOutput)[1..]);
        Assert.Matches($"^sha256:[0-9a-f]{{64}} +[0-9]+ +{destination} +linux/amd64 +{Regex.Escape(SociMediaTypes.ImageManifest)} +v2 ", row);
        var push = await stack.SociAsync("push", destination);
        Assert.Equal(1, push.ExitCode);
        Assert.Contains("[WARN] Skippping SOCI index manifest v2.", push.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("soci: could not find any soci index manifest v1 to push for platform linux/amd64\n", push.StandardError);
    }

    [Fact]
    public async Task Rebuild_db_rediscovers_indexes_in_containerd_and_forgets_removed_ones()
    {
        await using var stack = await (await CliStack.Create("cli-rebuild").WithRegistryAsync()).WithContainerdAsync();
        (await stack.Containerd!.CtrAsync("images", "pull", "--plain-http", stack.ImageReference)).EnsureSuccess();
        (await stack.SociAsync("create", stack.ImageReference)).EnsureSuccess();
        var index = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));
        var ztoc = Assert.Single(CliStack.Lines((await stack.SociAsync("ztoc", "list", "-q")).EnsureSuccess().StandardOutput));
        foreach (var file in Directory.GetFiles(stack.Root, "artifacts.db*"))
        {
            File.Delete(file);
        }

        (await stack.SociAsync("rebuild-db")).EnsureSuccess();

        var row = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list")).EnsureSuccess().StandardOutput)[1..]);
        Assert.Matches($"^{index} +[0-9]+ +{stack.ImageReference} +linux/amd64 +", row);
        Assert.Equal([ztoc], CliStack.Lines((await stack.SociAsync("ztoc", "list", "--image-ref", stack.ImageReference, "-q")).EnsureSuccess().StandardOutput));

        (await stack.SociAsync("index", "rm", index)).EnsureSuccess();
        (await stack.SociAsync("rebuild-db")).EnsureSuccess();
        Assert.Empty(CliStack.Lines((await stack.SociAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));
        var content = (await stack.Containerd.CtrAsync("content", "list", "--quiet")).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain(index, content, StringComparison.Ordinal);
    }
}
