using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Environment.Tests;

public sealed class RegistryTests
{
    public static TheoryData<string> Modes => ["anonymous", "basic-auth", "tls", "tls+basic-auth"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_pushed_image_is_served_back_with_the_same_manifest_and_layers(string mode)
    {
        await using var directory = TestDirectory.Create("registry");
        var options = new RegistryOptions
        {
            BasicAuth = mode.Contains("basic-auth", StringComparison.Ordinal) ? new BasicCredentials("soci", "s3cret") : null,
            Tls = mode.StartsWith("tls", StringComparison.Ordinal),
        };
        var registry = await LocalRegistry.StartAsync(directory, options);
        var layout = directory.Sub("layout");
        var manifest = SyntheticImage.WriteLayout(layout);

        await ImagePusher.PushAsync(layout, SyntheticImage.Tag, registry, "synthetic", "v1");

        using var client = registry.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/synthetic/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(manifest.MediaType));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(manifest.Digest, OciLayoutWriter.Digest(served));

        using var document = JsonDocument.Parse(served);
        foreach (var layer in document.RootElement.GetProperty("layers").EnumerateArray())
        {
            var digest = layer.GetProperty("digest").GetString()!;
            var blob = await client.GetByteArrayAsync($"v2/synthetic/blobs/{digest}");
            Assert.Equal(digest, OciLayoutWriter.Digest(blob));
        }
    }

    [Fact]
    public async Task The_registry_counts_the_blob_bytes_it_served_whole_and_in_ranges()
    {
        await using var directory = TestDirectory.Create("registry-bytes");
        var registry = await LocalRegistry.StartAsync(directory);
        var layout = directory.Sub("layout");
        var descriptor = SyntheticImage.WriteLayout(layout);
        await ImagePusher.PushAsync(layout, SyntheticImage.Tag, registry, "synthetic", "v1");
        using var client = registry.CreateClient();
        using var manifestRequest = new HttpRequestMessage(HttpMethod.Get, "v2/synthetic/manifests/v1");
        manifestRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(descriptor.MediaType));
        using var manifest = await client.SendAsync(manifestRequest);
        var layer = JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement.GetProperty("layers")[0];
        var before = registry.BlobBytesServed();

        var whole = await client.GetByteArrayAsync($"v2/synthetic/blobs/{layer.GetProperty("digest").GetString()}");
        using var range = new HttpRequestMessage(HttpMethod.Get, $"v2/synthetic/blobs/{layer.GetProperty("digest").GetString()}");
        range.Headers.Range = new RangeHeaderValue(10, 19);
        using var ranged = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        await Task.Delay(200); // the access log line is written just after the response

        Assert.Equal(whole.Length + 10, registry.BlobBytesServed() - before);
    }

    [Fact]
    public async Task A_registry_with_basic_auth_refuses_anonymous_requests()
    {
        await using var directory = TestDirectory.Create("registry");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { BasicAuth = new BasicCredentials("soci", "s3cret") });

        using var anonymous = new HttpClient { BaseAddress = registry.BaseUri };
        using var response = await anonymous.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
    }

    [Fact]
    public async Task A_tls_registry_is_not_trusted_without_its_generated_certificate()
    {
        await using var directory = TestDirectory.Create("registry");
        var registry = await LocalRegistry.StartAsync(directory, new RegistryOptions { Tls = true });

        using var untrusting = new HttpClient { BaseAddress = registry.BaseUri };

        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("v2/"));
    }
}
