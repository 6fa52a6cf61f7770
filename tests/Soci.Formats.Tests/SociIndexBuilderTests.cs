using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Soci.Formats.Index;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public sealed class SociIndexBuilderTests
{
    private const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static readonly Descriptor Manifest = new()
    {
        MediaType = "application/vnd.oci.image.manifest.v1+json",
        Digest = "sha256:" + new string('a', 64),
        Size = 1234,
        Annotations = new Dictionary<string, string> { ["dropped"] = "from the subject" },
    };

    [Fact]
    public async Task A_v1_index_lists_one_annotated_ztoc_per_indexed_layer_and_refers_to_its_manifest()
    {
        var context = new InMemoryContext();
        var small = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("small", "tiny"u8.ToArray()))));
        var big = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("big", TestLayers.Noise(1, 300_000)))));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = 1000, SpanSize = 65536 }, small, big);

        var json = JsonDocument.Parse(result.Bytes).RootElement;
        Assert.Equal(SociMediaTypes.IndexV1, json.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(SociMediaTypes.EmptyConfigDigest, json.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal($$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{Manifest.Digest}}","size":1234}""",
            json.GetProperty("subject").GetRawText());
        Assert.Equal("""{"com.amazon.soci.build-tool-identifier":"AWS SOCI CLI v0.2"}""", json.GetProperty("annotations").GetRawText());
        var ztoc = Assert.Single(result.Index.Blobs);
        var stored = context.Stored[big.Digest];
        Assert.Equal(stored.Digest, ztoc.Digest);
        Assert.Equal(stored.Bytes.Length, ztoc.Size);
        Assert.Equal(new Dictionary<string, string>
        {
            [SociMediaTypes.LayerDigestAnnotation] = big.Digest,
            [SociMediaTypes.LayerMediaTypeAnnotation] = GzipLayer,
            [SociMediaTypes.SpanSizeAnnotation] = "65536",
        }, ztoc.Annotations);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.Bytes)), result.Digest);
        Assert.Contains($"ztoc skipped - layer {small.Digest} ({GzipLayer}) size {small.Size} is less than min-layer-size 1000", context.Lines);
        Assert.Contains($"layer {big.Digest} -> ztoc {stored.Digest}", context.Lines);
        Assert.Equal(["big"], ZtocParser.Parse(stored.Bytes).Files.Select(f => f.Name.ToString()));
    }

    [Fact]
    public async Task A_v2_index_has_no_subject_and_the_v2_config_type()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = 0, ArtifactType = SociMediaTypes.IndexV2 }, layer);

        var json = JsonDocument.Parse(result.Bytes).RootElement;
        Assert.False(json.TryGetProperty("subject", out _));
        Assert.Equal(SociMediaTypes.IndexV2, json.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(SociMediaTypes.IndexV2, result.Descriptor.ArtifactType);
    }

    [Fact]
    public async Task A_layer_exactly_at_the_minimum_size_is_indexed()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = layer.Size }, layer);

        Assert.Single(result.Index.Blobs);
    }

    [Fact]
    public async Task Ztocs_follow_image_layer_order_and_uncompressed_layers_get_uncompressed_ztocs()
    {
        var context = new InMemoryContext();
        var first = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("one", TestLayers.Noise(2, 200_000)))));
        var second = context.Add(LayerMediaTypes.OciLayer, TestLayers.Tar(("two", "2"u8.ToArray())));
        var third = context.Add(LayerMediaTypes.DockerLayer, TestLayers.Tar(("three", "3"u8.ToArray())));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, first, second, third);

        Assert.Equal([first.Digest, second.Digest, third.Digest], result.Index.Blobs.Select(b => b.Annotations![SociMediaTypes.LayerDigestAnnotation]));
        Assert.Equal(CompressionAlgorithms.Uncompressed, ZtocParser.Parse(context.Stored[second.Digest].Bytes).CompressionAlgorithm);
        Assert.Equal(CompressionAlgorithms.Uncompressed, ZtocParser.Parse(context.Stored[third.Digest].Bytes).CompressionAlgorithm);
    }

    [Fact]
    public async Task A_zstd_layer_is_skipped_with_a_message_and_the_rest_is_indexed()
    {
        var context = new InMemoryContext();
        var zstd = context.Add("application/vnd.oci.image.layer.v1.tar+zstd", [0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]);
        var gzip = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, zstd, gzip);

        Assert.Single(result.Index.Blobs);
        Assert.Contains(
            $"ztoc skipped - layer {zstd.Digest} (application/vnd.oci.image.layer.v1.tar+zstd) is compressed in an unsupported format. expect: [tar, gzip, unknown] but got \"zstd\"",
            context.Lines);
    }

    [Fact]
    public async Task Every_layer_below_the_minimum_is_the_no_ztocs_error()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));

        var error = await Assert.ThrowsAsync<SociIndexBuildException>(() => Build(context, new SociIndexBuildOptions(), layer));

        Assert.Equal("no ztocs created, all layers either skipped or produced errors", error.Message);
    }

    [Fact]
    public async Task A_corrupt_layer_fails_the_build_naming_the_layer()
    {
        var context = new InMemoryContext();
        var good = TestLayers.Gzip(TestLayers.Tar(("f", TestLayers.Noise(3, 100_000))));
        good[good.Length / 2] ^= 0xff;
        var corrupt = context.Add(GzipLayer, good);

        var error = await Assert.ThrowsAsync<SociIndexBuildException>(() => Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, corrupt));

        Assert.StartsWith($"errors encountered while building soci layers; layer {corrupt.Digest}: ", error.Message);
        Assert.Empty(context.Stored);
    }

    [Fact]
    public async Task A_blob_whose_size_differs_from_its_descriptor_fails_the_build()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));

        var error = await Assert.ThrowsAsync<SociIndexBuildException>(
            () => Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, layer with { Size = layer.Size + 1 }));

        Assert.Contains("blob is", error.Message);
    }

    [Fact]
    public async Task A_descriptor_that_is_not_a_layer_fails_the_build()
    {
        var context = new InMemoryContext();
        var config = context.Add("application/vnd.oci.image.config.v1+json", "{}"u8.ToArray());

        var error = await Assert.ThrowsAsync<SociIndexBuildException>(() => Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, config));

        Assert.Contains("not a layer mediaType", error.Message);
    }

    [Fact]
    public async Task An_existing_ztoc_for_the_same_span_size_is_reused_without_reading_the_layer()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));
        var options = new SociIndexBuildOptions { MinLayerSize = 0 };
        var first = await Build(context, options, layer);
        context.Opened.Clear();

        var second = await Build(context, options, layer);

        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Empty(context.Opened);
        Assert.Contains($"layer {layer.Digest} -> ztoc {first.Index.Blobs[0].Digest} (already exists)", context.Lines);
    }

    [Fact]
    public async Task Force_rebuilds_an_existing_ztoc()
    {
        var context = new InMemoryContext();
        var layer = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("f", "x"u8.ToArray()))));
        await Build(context, new SociIndexBuildOptions { MinLayerSize = 0 }, layer);
        context.Opened.Clear();

        await Build(context, new SociIndexBuildOptions { MinLayerSize = 0, ReuseExistingZtocs = false }, layer);

        Assert.Equal([layer.Digest], context.Opened);
    }

    [Fact]
    public async Task The_xattr_optimization_marks_only_layers_without_xattrs_or_opaque_directories()
    {
        var context = new InMemoryContext();
        var plain = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("plain", "x"u8.ToArray()))));
        var opaque = context.Add(GzipLayer, TestLayers.Gzip(TestLayers.Tar(("dir/.wh..wh..opq", []))));

        var result = await Build(context, new SociIndexBuildOptions { MinLayerSize = 0, DisableXattrsWhenUnused = true }, plain, opaque);

        Assert.Equal("true", result.Index.Blobs[0].Annotations![SociMediaTypes.DisableXattrsAnnotation]);
        Assert.False(result.Index.Blobs[1].Annotations!.ContainsKey(SociMediaTypes.DisableXattrsAnnotation));
    }

    [Fact]
    public async Task Building_the_same_image_twice_gives_identical_bytes()
    {
        var tar = TestLayers.Gzip(TestLayers.Tar(("a", TestLayers.Noise(4, 500_000)), ("b", "b"u8.ToArray())));
        var first = new InMemoryContext();
        var second = new InMemoryContext();

        var one = await Build(first, new SociIndexBuildOptions { MinLayerSize = 0, SpanSize = 100_000 }, first.Add(GzipLayer, tar));
        var two = await Build(second, new SociIndexBuildOptions { MinLayerSize = 0, SpanSize = 100_000 }, second.Add(GzipLayer, tar));

        Assert.Equal(one.Bytes, two.Bytes);
        Assert.Equal(first.Stored.Values.Single().Bytes, second.Stored.Values.Single().Bytes);
    }

    [Theory]
    [InlineData(-1, 0, "span size must be >= 0")]
    [InlineData(0, -1, "min layer size must be >= 0")]
    public void Negative_sizes_are_rejected(long spanSize, long minLayerSize, string message)
    {
        var error = Assert.Throws<SociIndexBuildException>(
            () => new SociIndexBuilder(new SociIndexBuildOptions { SpanSize = spanSize, MinLayerSize = minLayerSize }, new InMemoryContext()));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", "gzip")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd", "zstd")]
    [InlineData("application/vnd.oci.image.layer.v1.tar", "uncompressed")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar", "")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+foo", "")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar", "unknown")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar+gzip", "")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", "gzip")]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "gzip")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.zstd", "zstd")]
    public void Layer_compression_follows_containerds_media_type_rules(string mediaType, string compression)
    {
        Assert.True(LayerMediaTypes.IsLayer(mediaType));
        Assert.Equal(compression, LayerMediaTypes.Compression(mediaType));
    }

    [Fact]
    public void An_unknown_oci_layer_subtype_has_no_known_compression()
    {
        Assert.True(LayerMediaTypes.IsLayer("application/vnd.oci.image.layer.v2.weird"));
        Assert.Throws<SociIndexBuildException>(() => LayerMediaTypes.Compression("application/vnd.oci.image.layer.v2.weird"));
    }

    private static Task<SociIndexBuildResult> Build(InMemoryContext context, SociIndexBuildOptions options, params Descriptor[] layers) =>
        new SociIndexBuilder(options, context).BuildAsync(Manifest, layers, CancellationToken.None);

    /// <summary>Layer blobs in memory and a ztoc store keyed by (layer digest, span size).</summary>
    private sealed class InMemoryContext : ISociIndexBuildContext
    {
        private readonly Dictionary<string, byte[]> _blobs = [];
        private readonly ConcurrentDictionary<(string, long), StoredZtoc> _byLayer = new();

        public ConcurrentDictionary<string, StoredZtoc> Stored { get; } = new();

        public ConcurrentQueue<string> Lines { get; } = new();

        public List<string> Opened { get; } = [];

        public Descriptor Add(string mediaType, byte[] blob)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
            _blobs[digest] = blob;
            return new Descriptor { MediaType = mediaType, Digest = digest, Size = blob.Length };
        }

        public Task<Stream> OpenLayerAsync(Descriptor layer, CancellationToken cancellationToken)
        {
            lock (Opened)
            {
                Opened.Add(layer.Digest);
            }
            return Task.FromResult<Stream>(new MemoryStream(_blobs[layer.Digest], writable: false));
        }

        public Task<StoredZtoc?> FindZtocAsync(Descriptor layer, long spanSize, CancellationToken cancellationToken) =>
            Task.FromResult(_byLayer.TryGetValue((layer.Digest, spanSize), out var ztoc) ? ztoc : null);

        public Task StoreZtocAsync(Descriptor layer, StoredZtoc ztoc, long spanSize, CancellationToken cancellationToken)
        {
            Stored[layer.Digest] = ztoc;
            _byLayer[(layer.Digest, spanSize)] = ztoc;
            return Task.CompletedTask;
        }

        public void Report(string line) => Lines.Enqueue(line);

        public void ReportProgress(Descriptor layer, long bytesRead, long bytesTotal)
        {
        }
    }
}
