using Soci.Actors.Push;
using Soci.Actors.Registry;
using Soci.Formats.Index;
using Soci.TestEnvironment;

namespace Soci.Push.Tests;

/// <summary>v1 SOCI index push against the real loopback registry (distribution 2.8: no Referrers API, so the
/// referrers tag schema is what makes the index discoverable).</summary>
public sealed class SociIndexPushTests
{
    [Fact]
    public async Task A_pushed_v1_index_is_listed_under_the_referrers_tag_and_pulls_back_byte_identical()
    {
        await using var directory = TestDirectory.Create("push-v1");
        var layout = directory.Sub("layout");
        var (content, manifest) = TestImages.WriteLayout(layout);
        var registry = await TestImages.RegistryWithImageAsync(directory, layout);
        var index = await TestImages.BuildV1Async(content, manifest);
        using var client = TestImages.Client();
        var repository = client.Repository(registry.Host, "synthetic");
        var output = new StringWriter();

        var pushed = await new SociIndexPusher(content, repository, output).PushAsync(index.Digest, new SociIndexPushOptions(), default);

        Assert.True(pushed);
        var referrers = await repository.GetReferrersAsync(manifest.Digest, SociMediaTypes.IndexV1);
        var referrer = Assert.Single(referrers);
        Assert.Equal(index.Digest, referrer.Digest);
        Assert.Equal(SociMediaTypes.IndexV1, referrer.ArtifactType);
        Assert.NotNull(await repository.HeadManifestAsync(RepositoryClient.FallbackTag(manifest.Digest)));

        var fetched = await repository.GetManifestAsync(index.Digest);
        Assert.Equal(index.Bytes, fetched.Bytes);
        var ztoc = Assert.Single(index.Index.Blobs);
        var ztocBytes = await repository.GetBlobAsync(new() { MediaType = ztoc.MediaType, Digest = ztoc.Digest, Size = ztoc.Size });
        Assert.Equal(await content.TryReadAsync(ztoc.Digest, default), ztocBytes);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("checking if a soci index already exists in remote repository...", lines[0]);
        Assert.Equal($"pushing soci index with digest: {index.Digest}", lines[1]);
        Assert.Contains($"successfully pushed artifact with digest: {ztoc.Digest}", lines);
        Assert.Contains($"skipped artifact with digest: {manifest.Digest}", lines);
        Assert.Equal($"successfully pushed artifact with digest: {index.Digest}", lines[^1]);
        await registry.StopAsync();
    }

    [Fact]
    public async Task Skip_leaves_an_existing_index_alone_while_warn_pushes_a_second_one()
    {
        await using var directory = TestDirectory.Create("push-policy");
        var layout = directory.Sub("layout");
        var (content, manifest) = TestImages.WriteLayout(layout);
        var registry = await TestImages.RegistryWithImageAsync(directory, layout);
        var first = await TestImages.BuildV1Async(content, manifest);
        var second = await TestImages.BuildV1Async(content, manifest, spanSize: 128000);
        using var client = TestImages.Client();
        var repository = client.Repository(registry.Host, "synthetic");

        var quiet = new StringWriter();
        await new SociIndexPusher(content, repository, quiet).PushAsync(first.Digest, new SociIndexPushOptions { Quiet = true }, default);
        Assert.Equal(first.Digest + Environment.NewLine, quiet.ToString());

        var skipping = new StringWriter();
        var skipped = !await new SociIndexPusher(content, repository, skipping)
            .PushAsync(second.Digest, new SociIndexPushOptions { ExistingIndex = ExistingIndexPolicy.Skip }, default);
        Assert.True(skipped);
        Assert.Contains($"soci index found in remote repository with digest: {first.Digest}: skipping pushing artifacts for image manifest: {manifest.Digest}",
            skipping.ToString(), StringComparison.Ordinal);
        Assert.Single(await repository.GetReferrersAsync(manifest.Digest, SociMediaTypes.IndexV1));
        Assert.Null(await repository.HeadManifestAsync(second.Digest));

        var warning = new StringWriter();
        await new SociIndexPusher(content, repository, warning).PushAsync(second.Digest, new SociIndexPushOptions { Quiet = true }, default);
        Assert.Equal(
            $"[WARN] soci index found in remote repository with digest: {first.Digest}: pushing index anyway{Environment.NewLine}{second.Digest}{Environment.NewLine}",
            warning.ToString());
        var referrers = await repository.GetReferrersAsync(manifest.Digest, SociMediaTypes.IndexV1);
        Assert.Equal([first.Digest, second.Digest], referrers.Select(r => r.Digest).ToArray());

        var many = new StringWriter();
        await new SociIndexPusher(content, repository, many).PushAsync(first.Digest, new SociIndexPushOptions { ExistingIndex = ExistingIndexPolicy.Skip }, default);
        Assert.Contains("multiple soci indices found in remote repository: skipping", many.ToString(), StringComparison.Ordinal);
        await registry.StopAsync();
    }

    [Fact]
    public async Task A_push_whose_ztoc_is_missing_locally_fails_naming_the_graph_push()
    {
        await using var directory = TestDirectory.Create("push-missing");
        var layout = directory.Sub("layout");
        var (content, manifest) = TestImages.WriteLayout(layout);
        var registry = await TestImages.RegistryWithImageAsync(directory, layout);
        var index = await TestImages.BuildV1Async(content, manifest);
        File.Delete(content.PathOf(index.Index.Blobs[0].Digest));
        using var client = TestImages.Client();
        var repository = client.Repository(registry.Host, "synthetic");

        var error = await Assert.ThrowsAsync<SociPushException>(() =>
            new SociIndexPusher(content, repository, new StringWriter()).PushAsync(index.Digest, new SociIndexPushOptions(), default));

        Assert.StartsWith("error pushing graph to remote: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(index.Index.Blobs[0].Digest, error.Message, StringComparison.Ordinal);
        Assert.Null(await repository.HeadManifestAsync(index.Digest));
        Assert.Empty(await repository.GetReferrersAsync(manifest.Digest, SociMediaTypes.IndexV1));
        await registry.StopAsync();
    }
}
