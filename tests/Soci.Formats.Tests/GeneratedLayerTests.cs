using System.IO.Compression;
using System.Text;
using Soci.Formats.Build;
using Soci.Formats.Compression;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public sealed class GeneratedLayerTests : IDisposable
{
    private readonly TestLayers _layers = new();

    private static readonly (string, byte[])[] Files =
    [
        ("a/first.bin", TestLayers.Noise(1, 150_000)),
        ("a/second.txt", Encoding.UTF8.GetBytes("hello\n")),
        ("b/third.bin", TestLayers.Noise(3, 220_000)),
        ("b/empty", []),
        ("fourth.bin", TestLayers.Noise(4, 90_000)),
    ];

    [Fact]
    public async Task A_layer_of_concatenated_gzip_members_is_indexed_and_read_across_the_member_boundary()
    {
        var tar = TestLayers.Tar(Files);
        var split = 200_003;
        var layer = _layers.Write("multi.tar.gz", [.. TestLayers.Gzip(tar[..split]), .. TestLayers.Gzip(tar[split..])]);

        var ztoc = new ZtocBuilder().BuildFromFile(layer, spanSize: 65536);

        Assert.Equal(tar.Length, ztoc.UncompressedArchiveSize);
        var zinfo = GzipZinfo.Parse(ztoc.Checkpoints, ztoc.CompressedArchiveSize, ztoc.UncompressedArchiveSize);
        Assert.True(zinfo.SpanCount > 3);
        await AssertEveryFileAndRangeMatchesAsync(ztoc, layer, tar);
    }

    [Fact]
    public async Task A_gzip_header_with_extra_name_and_comment_fields_moves_the_first_checkpoint_past_it()
    {
        var tar = TestLayers.Tar(Files);
        var header = GzipWithOptionalFields.Header(extra: [1, 2, 3, 4], name: "layer.tar", comment: "made by a test");
        var layer = _layers.Write("fields.tar.gz", GzipWithOptionalFields.Compress(tar, header));

        var ztoc = new ZtocBuilder().BuildFromFile(layer, spanSize: 65536);

        var zinfo = GzipZinfo.Parse(ztoc.Checkpoints, ztoc.CompressedArchiveSize, ztoc.UncompressedArchiveSize);
        Assert.Equal(header.Length, zinfo.Checkpoint(0).In);
        Assert.Equal(0, zinfo.Checkpoint(0).Out);
        await AssertEveryFileAndRangeMatchesAsync(ztoc, layer, tar);
    }

    [Fact]
    public void An_empty_tar_gives_a_ztoc_without_files()
    {
        var layer = _layers.Write("empty.tar.gz", TestLayers.Gzip(new byte[1024]));

        var ztoc = ZtocParser.Parse(ZtocSerializer.Serialize(new ZtocBuilder().BuildFromFile(layer, 65536)));

        Assert.Empty(ztoc.Files);
        Assert.Equal(1024, ztoc.UncompressedArchiveSize);
        Assert.Equal(0, ztoc.MaxSpanId);
        Assert.Single(ztoc.SpanDigests);
    }

    [Fact]
    public void An_empty_uncompressed_layer_file_gives_a_ztoc_without_files_or_spans()
    {
        var layer = _layers.Write("empty.tar", []);

        var ztoc = new ZtocBuilder().BuildFromFile(layer, 65536);

        Assert.Empty(ztoc.Files);
        Assert.Equal(0, ztoc.UncompressedArchiveSize);
        Assert.Equal(CompressionAlgorithms.Uncompressed, ztoc.CompressionAlgorithm);
        Assert.Empty(ztoc.SpanDigests);
    }

    [Fact]
    public void A_truncated_gzip_layer_fails_with_an_error_naming_the_truncation()
    {
        var gzip = TestLayers.Gzip(TestLayers.Tar(Files));
        var layer = _layers.Write("truncated.tar.gz", gzip[..(gzip.Length / 2)]);

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));
        Assert.Contains("unexpected end", error.Message);
    }

    [Fact]
    public void Corrupt_deflate_data_fails_with_an_invalid_gzip_data_error()
    {
        var gzip = TestLayers.Gzip(TestLayers.Tar(Files));
        for (var i = 100; i < 400; i++)
        {
            gzip[i] ^= 0x5a;
        }
        var layer = _layers.Write("corrupt.tar.gz", gzip);

        // Depending on where decoding goes wrong, zlib rejects the data or the garbage output is not a tar header.
        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));
        Assert.Matches("invalid gzip data|invalid tar header", error.Message);
    }

    [Theory]
    [InlineData(0, "has CRC-32")]
    [InlineData(4, "bytes (mod 2^32), its trailer says")]
    public void A_member_whose_trailer_does_not_match_its_data_fails_naming_the_member(int trailerField, string what)
    {
        var tar = TestLayers.Tar(Files);
        byte[] second = TestLayers.Gzip(tar[200_003..]);
        second[second.Length - 8 + trailerField] ^= 0x01;
        var layer = _layers.Write("bad-trailer.tar.gz", [.. TestLayers.Gzip(tar[..200_003]), .. second]);

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));

        Assert.Contains("invalid gzip data: member 1 ", error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void Gzip_content_that_is_not_a_tar_fails_with_an_invalid_tar_header_error()
    {
        var layer = _layers.Write("text.gz", TestLayers.Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not a tar archive ", 100)))));

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));
        Assert.Contains("invalid tar header", error.Message);
    }

    [Fact]
    public void A_zstd_layer_is_rejected_as_not_supported()
    {
        var layer = _layers.Write("layer.tar.zst", [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));
        Assert.Contains("zstd compressed layers are not supported", error.Message);
    }

    [Fact]
    public void A_gzip_file_declared_as_gzip_but_without_gzip_magic_is_rejected()
    {
        using var layer = new MemoryStream(TestLayers.Tar(Files));

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().Build(layer, CompressionAlgorithms.Gzip, 65536));
        Assert.Contains("not gzip", error.Message);
    }

    [Fact]
    public void Names_with_dot_dot_components_are_recorded_exactly_as_in_the_tar()
    {
        var layer = _layers.Write("dotdot.tar.gz", TestLayers.Gzip(TestLayers.Tar(("../../etc/evil", [1, 2, 3]), ("a/../b", [4]))));

        var ztoc = new ZtocBuilder().BuildFromFile(layer, 65536);

        Assert.Equal(["../../etc/evil", "a/../b"], ztoc.Files.Select(f => f.Name.ToString()));
    }

    [Fact]
    public void A_pax_global_header_makes_the_build_fail_like_upstream()
    {
        using var output = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(output, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new System.Formats.Tar.PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "git" }));
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "f") { DataStream = new MemoryStream([1]) });
        }
        var layer = _layers.Write("global.tar.gz", TestLayers.Gzip(output.ToArray()));

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));
        Assert.Equal("unsupported input tar entry 'g'", error.Message);
    }

    [Fact]
    public void A_stream_that_starts_with_an_empty_block_gets_two_checkpoints_at_offset_zero_and_cannot_be_served()
    {
        var tar = TestLayers.Tar(Files);
        // A minimal gzip header followed by what a sync flush before any data emits: an empty stored block.
        byte[] header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255, 0x00, 0x00, 0x00, 0xff, 0xff];
        var layer = _layers.Write("syncflush.tar.gz", GzipWithOptionalFields.Compress(tar, header));

        var ztoc = new ZtocBuilder().BuildFromFile(layer, 65536);

        var zinfo = GzipZinfo.Parse(ztoc.Checkpoints, ztoc.CompressedArchiveSize, ztoc.UncompressedArchiveSize);
        Assert.Equal((10L, 0L), (zinfo.Checkpoint(0).In, zinfo.Checkpoint(0).Out));
        Assert.Equal((15L, 0L), (zinfo.Checkpoint(1).In, zinfo.Checkpoint(1).Out));
        using var range = new FileRangeReader(layer);
        var error = Assert.Throws<ZtocFormatException>(() => new LayerReader(ztoc, range));
        Assert.Contains("non-monotonic", error.Message);
    }

    private static async Task AssertEveryFileAndRangeMatchesAsync(Ztoc built, string layer, byte[] tar)
    {
        var ztoc = ZtocParser.Parse(ZtocSerializer.Serialize(built));
        using var range = new FileRangeReader(layer);
        var reader = new LayerReader(ztoc, range);
        foreach (var (name, content) in Files)
        {
            using var output = new MemoryStream();
            await reader.ExtractFileAsync(name, output);
            Assert.Equal(content, output.ToArray());
        }
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var offset = random.Next(tar.Length);
            var buffer = new byte[Math.Min(random.Next(1, 200_000), tar.Length - offset)];
            Assert.Equal(buffer.Length, await reader.ReadAsync(offset, buffer));
            Assert.True(tar.AsSpan(offset, buffer.Length).SequenceEqual(buffer), $"range {offset}+{buffer.Length} differs");
        }
    }

    public void Dispose() => _layers.Dispose();
}
