using Soci.Formats.Index;

namespace Soci.Cli.Tests;

/// <summary>The platform flags on a two-platform image (linux/amd64 and linux/arm64 sharing their layers).</summary>
public sealed class PlatformTests
{
    [Fact]
    public async Task Create_builds_for_the_host_platform_by_default_and_for_every_platform_asked_for()
    {
        await using var stack = CliStack.Create("cli-platforms");
        var arm64 = MultiPlatformLayout.Write(stack.Layout, stack.Manifest.Digest);

        (await stack.SociStoreAsync("create", stack.Layout)).EnsureSuccess();
        var host = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list")).EnsureSuccess().StandardOutput)[1..]);
        Assert.Contains(" linux/amd64 ", host, StringComparison.Ordinal);

        var both = (await stack.SociStoreAsync("create", "--platform", "linux/arm64,linux/amd64", stack.Layout)).EnsureSuccess().StandardOutput;
        Assert.Equal(2, CliStack.Lines(both).Count(line => line.EndsWith("(already exists)", StringComparison.Ordinal)));
        var all = (await stack.SociStoreAsync("create", "--all-platforms", "--span-size", "128000", stack.Layout)).EnsureSuccess().StandardOutput;
        Assert.Single(CliStack.Lines(all), line => line.StartsWith("layer ", StringComparison.Ordinal) && !line.EndsWith("(already exists)", StringComparison.Ordinal));

        var armIndexes = CliStack.Lines((await stack.SociStoreAsync("index", "list", "--ref", stack.Layout, "-p", "linux/arm64", "-q")).EnsureSuccess().StandardOutput);
        Assert.Equal(2, armIndexes.Length);
        foreach (var index in armIndexes)
        {
            var json = CliStack.Json((await stack.SociStoreAsync("index", "info", index)).EnsureSuccess().StandardOutput);
            Assert.Equal(arm64, json.GetProperty("subject").GetProperty("digest").GetString());
        }

        Assert.Equal(4, CliStack.Lines((await stack.SociStoreAsync("index", "list", "--ref", stack.Layout, "-q")).EnsureSuccess().StandardOutput).Length);
        Assert.Equal(2, CliStack.Lines((await stack.SociStoreAsync("index", "list", "--platform", "linux/amd64", "-q")).EnsureSuccess().StandardOutput).Length);
    }

    [Fact]
    public async Task Standalone_convert_annotates_only_the_platforms_asked_for()
    {
        await using var stack = CliStack.Create("cli-convert-platforms");
        var arm64 = MultiPlatformLayout.Write(stack.Layout, stack.Manifest.Digest);
        var one = stack.Directory.File("arm64-only");
        var all = stack.Directory.File("all");

        (await stack.SociAsync("convert", "--standalone", "--format", "oci-dir", "-p", "linux/arm64", stack.Layout, one)).EnsureSuccess();
        (await stack.SociAsync("convert", "--standalone", "--format", "oci-dir", "--all-platforms", stack.Layout, all)).EnsureSuccess();

        var oneEntries = await EntriesAsync(one);
        Assert.Single(oneEntries, entry => entry.TryGetProperty("artifactType", out var type) && type.GetString() == SociMediaTypes.IndexV2);
        var amd64Entry = Assert.Single(oneEntries, entry => entry.GetProperty("platform").GetProperty("architecture").GetString() == "amd64");
        Assert.False(amd64Entry.TryGetProperty("annotations", out _), "the platform not asked for gets no SOCI index");
        var arm64Entry = Assert.Single(oneEntries, entry => !entry.TryGetProperty("artifactType", out _) &&
                                                            entry.GetProperty("platform").GetProperty("architecture").GetString() == "arm64");
        Assert.NotEqual(arm64, arm64Entry.GetProperty("digest").GetString());
        var allEntries = await EntriesAsync(all);
        Assert.Equal(2, allEntries.Count(entry => entry.TryGetProperty("artifactType", out _)));
        Assert.Equal(2, allEntries.Count(entry => entry.TryGetProperty("annotations", out var annotations) &&
                                                  annotations.TryGetProperty(SociMediaTypes.IndexDigestAnnotation, out _)));
    }

    private static async Task<List<System.Text.Json.JsonElement>> EntriesAsync(string layout)
    {
        var root = CliStack.Json(await File.ReadAllTextAsync(Path.Combine(layout, "index.json"))).GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var index = CliStack.Json(await File.ReadAllTextAsync(Path.Combine(layout, "blobs", "sha256", root["sha256:".Length..])));
        return index.GetProperty("manifests").EnumerateArray().ToList();
    }
}
