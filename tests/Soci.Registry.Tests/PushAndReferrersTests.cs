using System.Security.Cryptography;
using System.Text;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Faults;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

public sealed class PushAndReferrersTests
{
    private const string SociV1 = "application/vnd.amazon.soci.index.v1+json";

    [Fact]
    public async Task A_blob_larger_than_the_chunk_size_is_uploaded_in_chunks_and_reads_back_identically()
    {
        await using var directory = TestDirectory.Create("registry-push");
        var registry = await LocalRegistry.StartAsync(directory);
        await using var proxy = FaultProxy.Start(registry.CreateClient());
        using var client = new RegistryClient(new RegistryClientOptions { Retry = Clients.FastRetries, UploadChunkSize = 1 << 20 });
        var content = RandomNumberGenerator.GetBytes((3 << 20) + 12345);
        var descriptor = new OciDescriptor { MediaType = "application/octet-stream", Digest = ContentDigest.Of(content), Size = content.Length };
        var repository = client.Repository(proxy.Host, "chunked");

        Assert.True(await repository.PushBlobAsync(descriptor, content));
        Assert.False(await repository.PushBlobAsync(descriptor, content));

        Assert.Equal(4, proxy.Served.Count(request => request.Method == "PATCH"));
        Assert.Equal(content, await repository.GetBlobAsync(descriptor));
    }

    [Fact]
    public async Task A_blob_present_in_another_repository_is_mounted_instead_of_uploaded()
    {
        await using var directory = TestDirectory.Create("registry-push");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "source", "v1");
        await using var proxy = FaultProxy.Start(registry.CreateClient());
        using var client = Clients.Plain();
        var layer = image.LargestLayer;

        await client.Repository(proxy.Host, "target").PushBlobAsync(layer, new MemoryStream(image.Blob(layer.Digest)), mountFrom: "source");

        Assert.DoesNotContain(proxy.Served, request => request.Method is "PUT" or "PATCH");
        Assert.Contains(proxy.Served, request => request.Method == "POST" && request.Status == 201);
        Assert.True(await client.Repository(proxy.Host, "target").BlobExistsAsync(layer.Digest));
    }

    [Fact]
    public async Task Referrers_pushed_to_a_registry_without_the_referrers_api_are_found_through_the_fallback_tag()
    {
        await using var directory = TestDirectory.Create("registry-push");
        var registry = await LocalRegistry.StartAsync(directory);
        var image = await TestImage.PushAsync(directory, registry, "app", "v1");
        using var client = Clients.For(registry);
        var repository = client.Repository(registry.Host, "app");
        var subject = new OciDescriptor { MediaType = OciMediaTypes.ImageManifest, Digest = image.Manifest.Digest, Size = image.Manifest.Size };

        Assert.Empty(await repository.GetReferrersAsync(subject.Digest, SociV1));
        var first = await PushReferrerAsync(repository, subject, "one");
        var second = await PushReferrerAsync(repository, subject, "two");
        await PushReferrerAsync(repository, subject, "other-type", artifactType: "application/vnd.example+json");

        var referrers = await repository.GetReferrersAsync(subject.Digest, SociV1);
        Assert.Equal([first.Digest, second.Digest], referrers.Select(r => r.Digest));
        Assert.All(referrers, r => Assert.Equal(SociV1, r.ArtifactType));
        var tagged = await repository.GetManifestAsync(RepositoryClient.FallbackTag(subject.Digest));
        Assert.Equal(3, tagged.AsIndex().Manifests.Count);
    }

    private static async Task<OciDescriptor> PushReferrerAsync(RepositoryClient repository, OciDescriptor subject, string content, string artifactType = SociV1)
    {
        var blob = Encoding.UTF8.GetBytes(content);
        var layer = new OciDescriptor { MediaType = "application/octet-stream", Digest = ContentDigest.Of(blob), Size = blob.Length };
        var config = "{}"u8.ToArray();
        var configDescriptor = new OciDescriptor { MediaType = artifactType, Digest = ContentDigest.Of(config), Size = config.Length };
        await repository.PushBlobAsync(layer, blob);
        await repository.PushBlobAsync(configDescriptor, config);
        var bytes = OciJson.Write(new OciManifest { MediaType = OciMediaTypes.ImageManifest, Config = configDescriptor, Layers = [layer], Subject = subject });
        var descriptor = new OciDescriptor { MediaType = OciMediaTypes.ImageManifest, Digest = ContentDigest.Of(bytes), Size = bytes.Length, ArtifactType = artifactType };
        return await repository.PushReferrerAsync(descriptor, bytes, subject.Digest);
    }
}
