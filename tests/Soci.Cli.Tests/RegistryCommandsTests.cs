using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;

namespace Soci.Cli.Tests;

/// <summary>`soci create`, `push` and `convert` against the loopback registry (distribution 2.8: referrers through the tag fallback).</summary>
public sealed class RegistryCommandsTests
{
    [Fact]
    public async Task Create_from_a_registry_reference_then_push_makes_the_index_a_referrer_of_the_image_manifest()
    {
        await using var stack = await CliStack.Create("cli-push").WithRegistryAsync();
        (await stack.SociStoreAsync("create", stack.ImageReference)).EnsureSuccess();
        var index = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("index", "list", "-q")).EnsureSuccess().StandardOutput));

        var push = (await stack.SociStoreAsync("push", stack.ImageReference)).EnsureSuccess();

        var lines = CliStack.Lines(push.StandardOutput);
        Assert.Equal("checking if a soci index already exists in remote repository...", lines[0]);
        Assert.Equal($"pushing soci index with digest: {index}", lines[1]);
        Assert.Equal($"successfully pushed artifact with digest: {index}", lines[^1]);
        using var client = stack.RegistryClient();
        var repository = client.Repository(stack.Registry!.Host, "synthetic");
        var referrer = Assert.Single(await repository.GetReferrersAsync(stack.Manifest.Digest, SociMediaTypes.IndexV1));
        Assert.Equal(index, referrer.Digest);
        Assert.Equal(stack.SociStoreBlob(index), (await repository.GetManifestAsync(index)).Bytes);
    }

    [Fact]
    public async Task Push_skips_when_told_to_and_otherwise_pushes_the_newest_index_as_another_referrer()
    {
        await using var stack = await CliStack.Create("cli-push-policy").WithRegistryAsync();
        (await stack.SociStoreAsync("create", stack.ImageReference)).EnsureSuccess();
        var first = Assert.Single(CliStack.Lines((await stack.SociStoreAsync("push", "-q", stack.ImageReference)).EnsureSuccess().StandardOutput));
        (await stack.SociStoreAsync("create", "--span-size", "128000", stack.ImageReference)).EnsureSuccess();
        using var client = stack.RegistryClient();
        var repository = client.Repository(stack.Registry!.Host, "synthetic");

        var skip = (await stack.SociStoreAsync("push", "--existing-index", "skip", stack.ImageReference)).EnsureSuccess();
        Assert.Contains($"soci index found in remote repository with digest: {first}: skipping pushing artifacts for image manifest: {stack.Manifest.Digest}",
            skip.StandardOutput, StringComparison.Ordinal);
        Assert.Single(await repository.GetReferrersAsync(stack.Manifest.Digest, SociMediaTypes.IndexV1));

        var warn = (await stack.SociStoreAsync("push", "-q", stack.ImageReference)).EnsureSuccess();
        var second = CliStack.Lines(warn.StandardOutput)[^1];
        Assert.Equal($"[WARN] soci index found in remote repository with digest: {first}: pushing index anyway", CliStack.Lines(warn.StandardOutput)[0]);
        Assert.NotEqual(first, second);
        var referrers = await repository.GetReferrersAsync(stack.Manifest.Digest, SociMediaTypes.IndexV1);
        Assert.Equal([first, second], referrers.Select(referrer => referrer.Digest).ToArray());
    }

    [Fact]
    public async Task Convert_from_the_registry_pushes_an_image_index_binding_a_v2_soci_index_to_the_annotated_manifest()
    {
        await using var stack = await CliStack.Create("cli-convert-registry").WithRegistryAsync();
        var destination = stack.Registry!.Reference("converted", "soci");

        var convert = (await stack.SociStoreAsync("convert", stack.ImageReference, destination)).EnsureSuccess();

        using var client = stack.RegistryClient();
        var repository = client.Repository(stack.Registry.Host, "converted");
        var root = await repository.GetManifestAsync("soci");
        Assert.Equal(OciMediaTypes.ImageIndex, root.Descriptor.MediaType);
        Assert.Equal($"pushed {destination} with digest: {root.Descriptor.Digest}", CliStack.Lines(convert.StandardOutput)[^1]);
        var entries = root.AsIndex().Manifests;
        var soci = Assert.Single(entries, entry => entry.ArtifactType == SociMediaTypes.IndexV2);
        var image = Assert.Single(entries, entry => entry.ArtifactType is null);
        Assert.Equal(soci.Digest, image.Annotation(SociMediaTypes.IndexDigestAnnotation));
        var manifest = (await repository.GetManifestAsync(image.Digest)).AsManifest();
        Assert.Equal(3, manifest.Layers.Count);
        var index = SociIndexSerializer.Parse((await repository.GetManifestAsync(soci.Digest)).Bytes);
        var ztoc = Assert.Single(index.Blobs);
        Assert.True(await repository.BlobExistsAsync(ztoc.Digest));
        foreach (var layer in manifest.Layers)
        {
            Assert.True(await repository.BlobExistsAsync(layer.Digest), $"layer {layer.Digest} was pushed to the destination repository");
        }
    }
}
