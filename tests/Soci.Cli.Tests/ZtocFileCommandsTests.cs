using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Soci.Formats.Tests;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Processes;

namespace Soci.Cli.Tests;

/// <summary>
/// `soci ztoc create|info|get-file` on local ztoc and layer files (no containerd): against upstream's golden outputs
/// (the formats tests' Compat/ data), and extraction that writes nothing but the requested output.
/// </summary>
public sealed class ZtocFileCommandsTests : IAsyncLifetime
{
    private readonly TestDirectory _directory = TestDirectory.Create("cli-ztoc-files");

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Ztoc_info_prints_exactly_what_upstream_prints(string layer, string ztocFile)
    {
        _ = layer;
        var expected = await File.ReadAllTextAsync(CompatFixtures.PathOf(CompatFixtures.ZtocEntry(ztocFile).GetProperty("info_json").GetString()!));

        var result = await SociAsync("ztoc", "info", CompatFixtures.PathOf(ztocFile));

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Ztoc_create_writes_upstreams_ztoc_and_prints_its_digest(string layer, string ztocFile)
    {
        var expected = CompatFixtures.ZtocEntry(ztocFile);
        var output = _directory.File("out.ztoc");

        var result = await SociAsync(
            "ztoc", "create", "--span-size", expected.GetProperty("span_size").GetInt64().ToString(), "-o", output, CompatFixtures.PathOf(layer));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected.GetProperty("digest").GetString() + "\n", result.StandardOutput);
        Assert.Equal(await File.ReadAllBytesAsync(CompatFixtures.PathOf(ztocFile)), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Ztoc_get_file_writes_only_the_requested_output_even_for_dot_dot_names()
    {
        var content = Encoding.UTF8.GetBytes("escaped?\n");
        var layer = _directory.File("dotdot.tar.gz");
        await File.WriteAllBytesAsync(layer, GzipTar("../../outside.txt", content));
        var ztoc = _directory.File("layer.ztoc");
        (await SociAsync("ztoc", "create", "-o", ztoc, layer)).EnsureSuccess();
        var extracted = _directory.Sub("extracted");
        var target = Path.Combine(extracted, "file");

        var result = await SociAsync("ztoc", "get-file", ztoc, "../../outside.txt", "--layer", layer, "-o", target);

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(["file"], Directory.GetFileSystemEntries(extracted).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(_directory.Path, "..", "..", "outside.txt"))));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(extracted, "..", "..", "outside.txt"))));
    }

    [Fact]
    public async Task Ztoc_get_file_follows_a_hard_link_to_the_file_data_the_generator_wrote()
    {
        var target = _directory.File("tool");

        var result = await SociAsync(
            "ztoc", "get-file", CompatFixtures.PathOf("ztoc/small-pax.span64k.ztoc"), "bin/tool-hardlink",
            "--layer", CompatFixtures.PathOf("layers/small-pax.tar.gz"), "-o", target);

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a009708d2b90c541fb77d4287575b3c79511b6e24dabca69235c260199b23b50", Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(target))));
    }

    [Fact]
    public async Task Ztoc_get_file_of_an_unknown_name_fails_with_a_soci_error_and_writes_nothing()
    {
        var target = _directory.File("missing");

        var result = await SociAsync(
            "ztoc", "get-file", CompatFixtures.PathOf("ztoc/small-pax.span64k.ztoc"), "no/such/file",
            "--layer", CompatFixtures.PathOf("layers/small-pax.tar.gz"), "-o", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("soci: file no/such/file does not exist in metadata\n", result.StandardError);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Ztoc_get_file_without_both_a_ztoc_and_a_file_name_says_both_are_needed(params string[] arguments)
    {
        var result = await SociAsync(["ztoc", "get-file", .. arguments]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("soci: please provide both a ztoc digest and a filename to extract\n", result.StandardError);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("sha256:hello")]
    public async Task Ztoc_info_with_an_invalid_digest_fails_with_a_soci_error(string argument)
    {
        var result = await SociAsync("ztoc", "info", argument);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("soci: invalid ztoc digest", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ztoc_info_of_a_file_that_is_not_a_ztoc_fails_with_a_soci_error()
    {
        var path = _directory.File("garbage.ztoc");
        await File.WriteAllTextAsync(path, "this is not a ztoc");

        var result = await SociAsync("ztoc", "info", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("soci: cannot unmarshal ztoc", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ztoc_info_finds_a_digest_in_the_soci_content_store()
    {
        var bytes = await File.ReadAllBytesAsync(CompatFixtures.PathOf("ztoc/small-gnu.span1m.ztoc"));
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blobs = Directory.CreateDirectory(Path.Combine(Root, "content", "blobs", "sha256")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest), bytes);

        var result = await SociAsync("--content-store", "soci", "ztoc", "info", "sha256:" + digest);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(await File.ReadAllTextAsync(CompatFixtures.PathOf("ztoc/small-gnu.span1m.info.json")), result.StandardOutput);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _directory.DisposeAsync().AsTask();

    private string Root => _directory.File("soci-root");

    private Task<CommandResult> SociAsync(params string[] arguments) =>
        CommandRunner.RunAsync(RepositoryPaths.Executable("soci"), ["--root", Root, .. arguments], TimeSpan.FromMinutes(2));

    /// <summary>A gzip layer holding one regular file.</summary>
    private static byte[] GzipTar(string name, byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }

        return output.ToArray();
    }
}
