using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;
using Soci.Formats.Index;
using Soci.TestEnvironment.Images;

namespace Soci.Cli.Tests;

/// <summary>`soci create`, `index`, `ztoc list`, `rebuild-db` and standalone `convert` on an OCI layout with the soci content store.</summary>
public sealed class LayoutCommandsTests
{
    [Fact]
    public async Task Create_from_an_oci_layout_records_an_index_whose_ztoc_the_listings_show()
    {
        await using var stack = CliStack.Create("cli-create-layout");

        var create = (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess();

        var lines = CliStack.Lines(create.StandardOutput);
        Assert.Equal(2, lines.Count(line => line.StartsWith("ztoc skipped - layer sha256:", StringComparison.Ordinal)));
        var built = Assert.Single(lines, line => line.StartsWith("layer sha256:", StringComparison.Ordinal));
        var ztoc = built.Split(" -> ztoc ")[1];
        var index = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));

        var info = (await stack.SociStoreAsync("index", "info", index)).EnsureSuccess().StandardOutput;
        Assert.StartsWith("{\n  \"schemaVersion\": 2,\n", info, StringComparison.Ordinal);
        Assert.EndsWith("}\n", info, StringComparison.Ordinal);
        var json = CliStack.Json(info);
        Assert.Equal(JsonSerializer.Serialize(CliStack.Json(System.Text.Encoding.UTF8.GetString(stack.SociStoreBlob(index)))), JsonSerializer.Serialize(json));
        Assert.Equal(stack.Manifest.Digest, json.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(ztoc, Assert.Single(json.GetProperty("layers").EnumerateArray()).GetProperty("digest").GetString());

        var table = CliStack.Lines((await stack.SociStoreAsync("index", "ls")).EnsureSuccess().StandardOutput);
        Assert.Matches("^DIGEST +SIZE +IMAGE REF +PLATFORM +MEDIA TYPE +MANIFEST VERSION +CREATED +$", table[0]);
        Assert.Matches($"^{index} +[0-9]+ +linux/amd64 +{Regex.Escape(SociMediaTypes.ImageManifest)} +v1 +[0-9]+s ago +$", Assert.Single(table[1..]));

        Assert.Equal([ztoc], CliStack.Lines((await stack.SociStoreAsync("ztoc", "list", "-q")).EnsureSuccess().StandardOutput));
        Assert.Equal([ztoc], CliStack.Lines((await stack.SociStoreAsync("ztoc", "list", "--image-ref", stack.Layout, "-q")).EnsureSuccess().StandardOutput));
        var ztocTable = CliStack.Lines((await stack.SociStoreAsync("ztoc", "ls")).EnsureSuccess().StandardOutput);
        Assert.Matches("^DIGEST +SIZE +LAYER DIGEST +$", ztocTable[0]);
        Assert.Matches($"^{ztoc} +{stack.SociStoreBlob(ztoc).Length} +{built.Split(' ')[1]} +$", Assert.Single(ztocTable[1..]));
    }

    [Fact]
    public async Task Create_again_reuses_the_recorded_ztoc_unless_forced_and_a_new_span_size_builds_a_new_one()
    {
        await using var stack = CliStack.Create("cli-create-reuse");
        var first = (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess().StandardOutput;
        var ztoc = Assert.Single(CliStack.Lines(first), line => line.StartsWith("layer ", StringComparison.Ordinal)).Split(" -> ztoc ")[1];

        var again = (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess().StandardOutput;
        var forced = (await stack.SociStoreAsync("create", "--force", stack.Layout)).EnsureSuccess().StandardOutput;
        var smaller = (await stack.SociStoreAsync("create", "--span-size", "128000", stack.Layout)).EnsureSuccess().StandardOutput;

        Assert.Contains($" -> ztoc {ztoc} (already exists)", again, StringComparison.Ordinal);
        Assert.Contains($" -> ztoc {ztoc}\n", forced, StringComparison.Ordinal);
        Assert.DoesNotContain(ztoc, smaller, StringComparison.Ordinal);
        Assert.Equal(2, CliStack.Lines((await stack.SociStoreAsync("ztoc", "list", "-q")).EnsureSuccess().StandardOutput).Length);
        Assert.Equal(2, CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput).Length);
    }

    [Fact]
    public async Task Index_rm_drops_the_entry_and_rebuild_db_follows_the_content_store()
    {
        await using var stack = CliStack.Create("cli-index-rm");
        (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess();
        var index = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));

        (await stack.SociStoreAsync("index", "rm", index)).EnsureSuccess();
        Assert.Empty(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).StandardOutput));
        var again = await stack.SociStoreAsync("index", "rm", index);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"soci: the index of the digest {index} doesn't exist\n", again.StandardError);

        // The soci store keeps blobs on `index rm` (as upstream), so rebuild-db finds the index again.
        (await stack.SociStoreAsync("rebuild-db")).EnsureSuccess();
        Assert.Equal([index], CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));

        File.Delete(Path.Combine(stack.Root, "content", "blobs", "sha256", index["sha256:".Length..]));
        (await stack.SociStoreAsync("rebuild-db")).EnsureSuccess();
        Assert.Empty(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).StandardOutput));
    }

    [Fact]
    public async Task Standalone_convert_writes_a_soci_enabled_layout_as_a_directory_or_archive_and_converting_it_again_is_idempotent()
    {
        await using var stack = CliStack.Create("cli-convert-standalone");
        var directory = stack.Directory.File("converted");
        var archive = stack.Directory.File("converted.tar");

        (await stack.SociAsync("convert", "--standalone", "--format", "oci-dir", stack.Layout, directory)).EnsureSuccess();
        (await stack.SociAsync("convert", "--standalone", stack.Layout, archive)).EnsureSuccess();
        var again = stack.Directory.File("again");
        (await stack.SociAsync("convert", "--standalone", "--format", "oci-dir", directory, again)).EnsureSuccess();

        var root = Assert.Single(CliStack.Json(await File.ReadAllTextAsync(Path.Combine(directory, "index.json"))).GetProperty("manifests").EnumerateArray());
        Assert.Equal("application/vnd.oci.image.index.v1+json", root.GetProperty("mediaType").GetString());
        var digest = root.GetProperty("digest").GetString()!;
        var index = CliStack.Json(await File.ReadAllTextAsync(Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..])));
        var entries = index.GetProperty("manifests").EnumerateArray().ToList();
        var soci = Assert.Single(entries, entry => entry.TryGetProperty("artifactType", out var type) && type.GetString() == SociMediaTypes.IndexV2);
        var image = Assert.Single(entries, entry => !entry.TryGetProperty("artifactType", out _));
        Assert.Equal(soci.GetProperty("digest").GetString(), image.GetProperty("annotations").GetProperty("com.amazon.soci.index-digest").GetString());

        var againRoot = Assert.Single(CliStack.Json(await File.ReadAllTextAsync(Path.Combine(again, "index.json"))).GetProperty("manifests").EnumerateArray());
        Assert.Equal(digest, againRoot.GetProperty("digest").GetString());
        Assert.Equal(digest, ArchiveRootDigest(archive));
        Assert.False(Directory.Exists(stack.Root), "a standalone conversion needs no root");
    }

    private static string ArchiveRootDigest(string archive)
    {
        using var stream = File.OpenRead(archive);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') == "index.json")
            {
                using var json = JsonDocument.Parse(entry.DataStream!);
                return json.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
            }
        }

        throw new InvalidOperationException($"{archive} has no index.json");
    }

    [Fact]
    public async Task A_layout_tagged_by_name_is_found_by_its_ref_name()
    {
        await using var stack = CliStack.Create("cli-layout-tag");

        (await stack.SociStoreAsync("create", $"{stack.Layout}:{SyntheticImage.Tag}")).EnsureSuccess();

        var index = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list", "--ref", stack.Layout, "-q")).EnsureSuccess().StandardOutput));
        Assert.StartsWith("sha256:", index, StringComparison.Ordinal);
    }
}
