using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

public sealed class ResolveAndReadTests
{
    [Fact]
    public async Task A_tag_and_the_digest_it_names_resolve_to_the_same_verified_manifest()
    {
        await using var directory = TestDirectory.Create("registry-client");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "app", "v1");
        using var client = Clients.For(registry);
        var repository = client.Repository(ImageReference.Parse(registry.Reference("app", "v1")));

        var byTag = await repository.ResolveAsync("v1", OciPlatform.Parse("linux/amd64"));
        var byDigest = await repository.ResolveAsync(image.Manifest.Digest, OciPlatform.Parse("linux/amd64"));

        Assert.Equal(image.Manifest.Digest, byTag.Manifest.Descriptor.Digest);
        Assert.Equal(byTag.Manifest.Bytes, byDigest.Manifest.Bytes);
        Assert.Equal(image.Layers.Select(l => l.Digest), byTag.Parsed.Layers.Select(l => l.Digest));
    }

    [Fact]
    public async Task A_multi_platform_index_resolves_to_the_manifest_of_the_requested_platform()
    {
        await using var directory = TestDirectory.Create("registry-client");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "multi", "amd64-only");
        using var client = Clients.For(registry);
        var repository = client.Repository(registry.Host, "multi");
        var armManifest = await PushArmVariantAsync(repository, image);
        var index = new OciIndex
        {
            MediaType = OciMediaTypes.ImageIndex,
            Manifests =
            [
                new OciDescriptor { MediaType = OciMediaTypes.ImageManifest, Digest = image.Manifest.Digest, Size = image.Manifest.Size, Platform = OciPlatform.Parse("linux/amd64") },
                armManifest with { Platform = new OciPlatform { Os = "linux", Architecture = "arm64", Variant = "v8" } },
            ],
        };
        await repository.PushManifestAsync("multi", OciMediaTypes.ImageIndex, OciJson.Write(index));

        var amd64 = await repository.ResolveAsync("multi", OciPlatform.Parse("linux/amd64"));
        var arm64 = await repository.ResolveAsync("multi", OciPlatform.Parse("linux/arm64"));

        Assert.True(amd64.Root.IsIndex);
        Assert.Equal(image.Manifest.Digest, amd64.Manifest.Descriptor.Digest);
        Assert.Equal(armManifest.Digest, arm64.Manifest.Descriptor.Digest);
        var missing = await Assert.ThrowsAsync<RegistryNotFoundException>(() => repository.ResolveAsync("multi", OciPlatform.Parse("linux/s390x")));
        Assert.Contains("linux/s390x", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_bytes_of_the_blob_at_any_offset()
    {
        await using var directory = TestDirectory.Create("registry-client");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "app", "v1");
        using var client = Clients.For(registry);
        var layer = image.LargestLayer;
        var expected = image.Blob(layer.Digest);
        var blob = await client.Repository(registry.Host, "app").OpenBlobAsync(layer.Digest);

        Assert.Equal(expected.Length, blob.Size);
        foreach (var (offset, length) in new (long, int)[] { (0, 1), (0, 65536), (12345, 4 << 20), (expected.Length - 10, 10), (expected.Length - 10, 100) })
        {
            var buffer = new byte[length];
            var read = await blob.ReadAsync(offset, buffer);
            Assert.Equal((int)Math.Min(length, expected.Length - offset), read);
            Assert.Equal(expected.AsSpan((int)offset, read).ToArray(), buffer[..read]);
        }

        Assert.Equal(0, await blob.ReadAsync(expected.Length, new byte[16]));
    }

    [Fact]
    public async Task Whole_blobs_are_fetched_and_checked_against_their_digest()
    {
        await using var directory = TestDirectory.Create("registry-client");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "app", "v1");
        using var client = Clients.For(registry);
        var repository = client.Repository(registry.Host, "app");
        var layer = image.Layers[0];

        Assert.Equal(image.Blob(layer.Digest), await repository.GetBlobAsync(layer));
        var target = directory.File("layer.bin");
        await repository.DownloadBlobAsync(image.LargestLayer, target);
        Assert.Equal(image.Blob(image.LargestLayer.Digest), await File.ReadAllBytesAsync(target));

        var wrongDigest = layer with { Digest = image.Layers[1].Digest, Size = image.Layers[1].Size + 1 };
        await Assert.ThrowsAsync<ContentVerificationException>(() => repository.GetBlobAsync(wrongDigest));
    }

    [Fact]
    public async Task A_missing_manifest_is_reported_as_not_found_with_repository_and_tag()
    {
        await using var directory = TestDirectory.Create("registry-client");
        var registry = await LocalRegistry.StartAsync(directory);
        using var client = Clients.For(registry);

        var error = await Assert.ThrowsAsync<RegistryNotFoundException>(() => client.Repository(registry.Host, "nothing").GetManifestAsync("v9"));

        Assert.Contains($"{registry.Host}/nothing:v9", error.Message, StringComparison.Ordinal);
    }

    private static async Task<OciDescriptor> PushArmVariantAsync(RepositoryClient repository, TestImage image)
    {
        var manifest = OciJson.Parse<OciManifest>(image.Blob(image.Manifest.Digest), "manifest");
        var config = System.Text.Encoding.UTF8.GetBytes("""{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDescriptor = new OciDescriptor { MediaType = OciMediaTypes.ImageConfig, Digest = ContentDigest.Of(config), Size = config.Length };
        await repository.PushBlobAsync(configDescriptor, config);
        var arm = manifest with { MediaType = OciMediaTypes.ImageManifest, Config = configDescriptor, Layers = [manifest.Layers[0]] };
        var bytes = OciJson.Write(arm);
        var (descriptor, _) = await repository.PushManifestAsync(ContentDigest.Of(bytes), OciMediaTypes.ImageManifest, bytes);
        return descriptor;
    }
}
