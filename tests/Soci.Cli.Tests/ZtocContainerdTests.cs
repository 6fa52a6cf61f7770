using System.Text;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Processes;

namespace Soci.Cli.Tests;

/// <summary>
/// `soci ztoc info|get-file` by digest, as upstream: the ztoc from the selected content store, the layer the artifacts
/// database records for it read by range from containerd's content store (an image pulled into a private containerd).
/// </summary>
public sealed class ZtocContainerdTests
{
    private static readonly byte[] Hello = SyntheticImage.FinalFiles["etc/hello.txt"];

    [Fact]
    public async Task Get_file_without_layer_extracts_from_the_layer_in_containerd_and_info_reads_the_ztoc_through_its_api()
    {
        await using var stack = await PulledImageAsync("cli-ztoc-get-file");
        var ztocs = LayerZtocs((await stack.SociAsync("create", "--min-layer-size", "0", stack.ImageReference)).EnsureSuccess());
        var layers = LayerDigests(stack);
        var baseZtoc = ztocs[layers[0]];
        var target = stack.Directory.File("random.bin");

        var stdout = (await stack.SociAsync("ztoc", "get-file", baseZtoc, "etc/hello.txt")).EnsureSuccess();
        (await stack.SociAsync("ztoc", "get-file", ztocs[layers[2]], "big/random.bin", "-o", target)).EnsureSuccess();
        var info = (await stack.SociAsync("ztoc", "info", baseZtoc)).EnsureSuccess();

        Assert.Equal(Encoding.UTF8.GetString(Hello) + "\n", stdout.StandardOutput);
        Assert.Equal("", stdout.StandardError);
        Assert.Equal(SyntheticImage.FinalFiles["big/random.bin"], await File.ReadAllBytesAsync(target));
        var files = CliStack.Json(info.StandardOutput).GetProperty("files").EnumerateArray().Select(file => file.GetProperty("filename").GetString());
        Assert.Contains("etc/hello.txt", files);
    }

    [Fact]
    public async Task Get_file_and_info_fail_with_one_clear_line_and_leave_no_output_file()
    {
        await using var stack = await PulledImageAsync("cli-ztoc-get-file-errors");
        var ztocs = LayerZtocs((await stack.SociAsync("create", "--min-layer-size", "0", stack.ImageReference)).EnsureSuccess());
        var baseZtoc = ztocs[LayerDigests(stack)[0]];
        var index = Assert.Single(CliStack.Lines((await stack.SociAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));
        var unknown = "sha256:" + new string('0', 64);
        var target = stack.Directory.File("out");

        AssertFails(await stack.SociAsync("ztoc", "get-file", baseZtoc, "no/such/file", "-o", target), "soci: file no/such/file does not exist in metadata");
        AssertFails(await stack.SociAsync("ztoc", "get-file", unknown, "etc/hello.txt", "-o", target), $"soci: ztoc {unknown} is not in the artifacts database");
        AssertFails(await stack.SociAsync("ztoc", "get-file", index, "etc/hello.txt", "-o", target), "soci: the provided digest belongs to a SOCI index");
        AssertFails(await stack.SociAsync("ztoc", "info", index), "soci: the provided digest belongs to a SOCI index");
        AssertFails(await stack.SociAsync("ztoc", "info", unknown), $"soci: ztoc {unknown} not found in the containerd content store");
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task With_the_soci_store_the_ztoc_comes_from_it_and_a_layer_gone_from_containerd_is_an_error()
    {
        await using var stack = await PulledImageAsync("cli-ztoc-get-file-soci-store");
        var ztocs = LayerZtocs((await stack.SociStoreAsync("create", "--min-layer-size", "0", stack.ImageReference)).EnsureSuccess());
        var baseLayer = LayerDigests(stack)[0];
        var target = stack.Directory.File("hello.txt");

        (await stack.SociStoreAsync("ztoc", "get-file", ztocs[baseLayer], "etc/hello.txt", "-o", target)).EnsureSuccess();
        Assert.Equal(Hello, await File.ReadAllBytesAsync(target));
        File.Delete(target);

        (await stack.Containerd!.CtrAsync("content", "rm", baseLayer)).EnsureSuccess();
        AssertFails(await stack.SociStoreAsync("ztoc", "get-file", ztocs[baseLayer], "etc/hello.txt", "-o", target),
            $"soci: layer {baseLayer} of ztoc {ztocs[baseLayer]} is not in containerd's content store");
        Assert.False(File.Exists(target));
    }

    /// <summary>The synthetic image pulled into a private containerd from a loopback registry.</summary>
    private static async Task<CliStack> PulledImageAsync(string purpose)
    {
        var stack = CliStack.Create(purpose);
        try
        {
            await (await stack.WithRegistryAsync()).WithContainerdAsync();
            (await stack.Containerd!.CtrAsync("images", "pull", "--plain-http", stack.ImageReference)).EnsureSuccess();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Layer digest → ztoc digest, from `soci create`'s `layer X -> ztoc Y` lines.</summary>
    private static Dictionary<string, string> LayerZtocs(CommandResult create) =>
        CliStack.Lines(create.StandardOutput)
            .Where(line => line.StartsWith("layer ", StringComparison.Ordinal) && line.Contains(" -> ztoc ", StringComparison.Ordinal))
            .Select(line => line["layer ".Length..].Split(" -> ztoc "))
            .ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>The image's layer digests in manifest order (base, changes, large), from its OCI layout.</summary>
    private static string[] LayerDigests(CliStack stack)
    {
        var manifest = File.ReadAllText(Path.Combine(stack.Layout, "blobs", "sha256", stack.Manifest.Digest["sha256:".Length..]));
        return CliStack.Json(manifest).GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("digest").GetString()!).ToArray();
    }

    private static void AssertFails(CommandResult result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, $"`{result.Command}` exited with {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        Assert.StartsWith(expectedStart, Assert.Single(CliStack.Lines(result.StandardError)), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StandardError, StringComparison.Ordinal);
    }
}
