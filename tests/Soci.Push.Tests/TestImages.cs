using System.Text.Json;
using Soci.Actors.Conversion;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Registry.Transport;
using Soci.Formats.Index;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Push.Tests;

/// <summary>The synthetic image as an OCI layout, its SOCI indexes, and registry clients for the loopback registry.</summary>
public static class TestImages
{
    public static readonly RetryOptions FastRetries = new()
    {
        MaxRetries = 2,
        MinDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        OverallTimeout = TimeSpan.FromSeconds(120),
    };

    public static RegistryClient Client() => new(new RegistryClientOptions { Retry = FastRetries });

    /// <summary>Writes the synthetic image's layout; returns its content and the manifest descriptor index.json lists.</summary>
    public static (OciLayoutContent Content, OciDescriptor Manifest) WriteLayout(string directory)
    {
        var written = SyntheticImage.WriteLayout(directory);
        return (new OciLayoutContent(directory), new OciDescriptor { MediaType = written.MediaType, Digest = written.Digest, Size = written.Size });
    }

    /// <summary>Builds a v1 index of the image in the layout and stores it (with the empty config) in the layout.</summary>
    public static async Task<SociIndexBuildResult> BuildV1Async(OciLayoutContent content, OciDescriptor manifest, long spanSize = 4 << 20)
    {
        var parsed = OciJson.Parse<OciManifest>(await content.ReadAsync(manifest.Digest, default), "manifest");
        var builder = new SociIndexBuilder(new SociIndexBuildOptions { SpanSize = spanSize }, new ConvertBuildContext(content, null, _ => { }));
        var result = await builder.BuildAsync(ToFormats(manifest), parsed.Layers.Select(ToFormats).ToList(), default);
        await content.WriteAsync(SociMediaTypes.EmptyConfigDigest, SociMediaTypes.EmptyConfig.ToArray(), new Dictionary<string, string>(), default);
        await content.WriteAsync(result.Digest, result.Bytes, new Dictionary<string, string>(), default);
        return result;
    }

    /// <summary>Starts a registry and pushes the layout's image to it as <c>synthetic:latest</c>.</summary>
    public static async Task<LocalRegistry> RegistryWithImageAsync(TestDirectory directory, string layout)
    {
        var registry = await LocalRegistry.StartAsync(directory);
        await ImagePusher.PushAsync(layout, SyntheticImage.Tag, registry, "synthetic", "latest");
        return registry;
    }

    public static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement.Clone();

    private static Descriptor ToFormats(OciDescriptor descriptor) => new() { MediaType = descriptor.MediaType, Digest = descriptor.Digest, Size = descriptor.Size };
}
