using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Soci.Cli;
using Soci.Cli.Commands;

namespace Soci.Formats.Tests;

public sealed class ZtocCliTests : IDisposable
{
    private static readonly RootCommand Root = CreateRoot();
    private readonly TestLayers _layers = new();

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Ztoc_info_prints_exactly_what_upstream_prints(string layer, string ztocFile)
    {
        _ = layer;
        var expected = await File.ReadAllTextAsync(CompatFixtures.PathOf(CompatFixtures.ZtocEntry(ztocFile).GetProperty("info_json").GetString()!));

        var (exitCode, stdout, stderr) = await RunAsync("ztoc", "info", CompatFixtures.PathOf(ztocFile));

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal(expected, stdout);
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Ztoc_create_writes_upstreams_ztoc_and_prints_its_digest(string layer, string ztocFile)
    {
        var expected = CompatFixtures.ZtocEntry(ztocFile);
        var output = Path.Combine(_layers.Directory, "out.ztoc");

        var (exitCode, stdout, _) = await RunAsync(
            "ztoc", "create", "--span-size", expected.GetProperty("span_size").GetInt64().ToString(), "-o", output, CompatFixtures.PathOf(layer));

        Assert.Equal(0, exitCode);
        Assert.Equal(expected.GetProperty("digest").GetString() + "\n", stdout);
        Assert.Equal(await File.ReadAllBytesAsync(CompatFixtures.PathOf(ztocFile)), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Ztoc_get_file_writes_only_the_requested_output_even_for_dot_dot_names()
    {
        var content = Encoding.UTF8.GetBytes("escaped?\n");
        var layer = _layers.Write("dotdot.tar.gz", TestLayers.Gzip(TestLayers.Tar(("../../outside.txt", content))));
        var ztoc = Path.Combine(_layers.Directory, "layer.ztoc");
        Assert.Equal(0, (await RunAsync("ztoc", "create", "-o", ztoc, layer)).ExitCode);
        var target = Path.Combine(_layers.Directory, "extracted", "file");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        var (exitCode, _, stderr) = await RunAsync("ztoc", "get-file", ztoc, "../../outside.txt", "--layer", layer, "-o", target);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(["file"], Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(_layers.Directory, "..", "..", "outside.txt"))));
    }

    [Fact]
    public async Task Ztoc_get_file_follows_a_hard_link_to_the_file_data_the_generator_wrote()
    {
        var target = Path.Combine(_layers.Directory, "tool");

        var (exitCode, _, stderr) = await RunAsync(
            "ztoc", "get-file", CompatFixtures.PathOf("ztoc/small-pax.span64k.ztoc"), "bin/tool-hardlink",
            "--layer", CompatFixtures.PathOf("layers/small-pax.tar.gz"), "-o", target);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal("a009708d2b90c541fb77d4287575b3c79511b6e24dabca69235c260199b23b50", Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(target))));
    }

    [Fact]
    public async Task Ztoc_get_file_of_an_unknown_name_fails_with_a_soci_error_and_writes_nothing()
    {
        var target = Path.Combine(_layers.Directory, "missing");

        var (exitCode, _, stderr) = await RunAsync(
            "ztoc", "get-file", CompatFixtures.PathOf("ztoc/small-pax.span64k.ztoc"), "no/such/file",
            "--layer", CompatFixtures.PathOf("layers/small-pax.tar.gz"), "-o", target);

        Assert.Equal(1, exitCode);
        Assert.Equal("soci: file no/such/file does not exist in metadata\n", stderr);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("sha256:hello")]
    public async Task Ztoc_info_with_an_invalid_digest_fails_with_a_soci_error(string argument)
    {
        var (exitCode, stdout, stderr) = await RunAsync("ztoc", "info", argument);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("soci: invalid ztoc digest", stderr);
    }

    [Fact]
    public async Task Ztoc_info_of_a_file_that_is_not_a_ztoc_fails_with_a_soci_error()
    {
        var path = _layers.Write("garbage.ztoc", Encoding.UTF8.GetBytes("this is not a ztoc"));

        var (exitCode, _, stderr) = await RunAsync("ztoc", "info", path);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("soci: cannot unmarshal ztoc", stderr);
    }

    [Fact]
    public async Task Ztoc_info_finds_a_digest_in_the_soci_content_store()
    {
        var bytes = await File.ReadAllBytesAsync(CompatFixtures.PathOf("ztoc/small-gnu.span1m.ztoc"));
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blobs = Directory.CreateDirectory(Path.Combine(_layers.Directory, "content", "blobs", "sha256")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest), bytes);

        var (exitCode, stdout, _) = await RunAsync("--content-store", "soci", "--root", _layers.Directory, "ztoc", "info", "sha256:" + digest);

        Assert.Equal(0, exitCode);
        Assert.Equal(await File.ReadAllTextAsync(CompatFixtures.PathOf("ztoc/small-gnu.span1m.info.json")), stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = await Root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand("test root");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(ZtocCommand.Create());
        return root;
    }

    public void Dispose() => _layers.Dispose();
}
