using System.Buffers.Binary;
using System.Text;
using Soci.Formats.Compression;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class MalformedZtocTests
{
    private sealed class NoLayer : IRangeReader
    {
        public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);
    }

    [Fact]
    public void Text_posing_as_a_ztoc_fails_cleanly() => AssertFailsCleanly(Encoding.UTF8.GetBytes("this is not a ztoc"));

    [Fact]
    public void A_megabyte_of_random_bytes_posing_as_a_ztoc_fails_cleanly()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var bytes = new byte[1 << 20];
            new Random(seed).NextBytes(bytes);
            AssertFailsCleanly(bytes);
        }
    }

    [Fact]
    public void Every_truncation_of_an_upstream_ztoc_fails_cleanly()
    {
        var bytes = File.ReadAllBytes(CompatFixtures.PathOf("ztoc/small-pax.span64k.ztoc"));
        for (var length = 0; length < bytes.Length; length += 61)
        {
            AssertFailsCleanly(bytes[..length]);
        }
    }

    [Fact]
    public void A_legacy_checkpoint_blob_gets_a_synthesized_first_checkpoint()
    {
        var blob = new byte[GzipZinfo.HeaderSize + GzipZinfo.CheckpointSize];
        BinaryPrimitives.WriteInt32LittleEndian(blob, 2);
        BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(4), 65536);
        BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(12), 70000);
        BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(20), 90000);

        var zinfo = GzipZinfo.Parse(blob, 100000, 200000);

        Assert.True(zinfo.IsLegacyLayout);
        Assert.Equal(1, zinfo.MaxSpanId);
        Assert.Equal((10L, 0L), (zinfo.Checkpoint(0).In, zinfo.Checkpoint(0).Out));
        Assert.Equal((70000L, 90000L), (zinfo.Checkpoint(1).In, zinfo.Checkpoint(1).Out));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(11, 0)]
    [InlineData(12, 255)]
    [InlineData(100, 1)]
    [InlineData(12, -1)]
    public void Checkpoint_blobs_of_the_wrong_length_are_rejected(int length, int count)
    {
        var blob = new byte[length];
        if (length >= 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(blob, count);
        }

        Assert.Throws<ZtocFormatException>(() => GzipZinfo.Parse(blob, 0, 0));
    }

    [Fact]
    public void A_header_only_entry_with_a_nonzero_size_overlaps_the_next_entry_and_is_an_invalid_toc_entry()
    {
        var file = new FileMetadata { Name = ByteString.FromString("a"), Type = ByteString.FromString("hardlink"), UncompressedOffset = 512, UncompressedSize = 1000 };
        var next = file with { Name = ByteString.FromString("b"), UncompressedOffset = 1024 };
        var bytes = ZtocSerializer.Serialize(new Ztoc { Files = [file, next], Checkpoints = new byte[12] });

        var error = Assert.Throws<ZtocFormatException>(() => ZtocParser.Parse(bytes));
        Assert.Contains("invalid toc entry", error.Message);
    }

    /// <summary>Parsing and opening for reads must either succeed or throw <see cref="ZtocFormatException"/>.</summary>
    private static void AssertFailsCleanly(byte[] bytes)
    {
        try
        {
            var ztoc = ZtocParser.Parse(bytes);
            _ = new LayerReader(ztoc, new NoLayer());
        }
        catch (ZtocFormatException)
        {
            return;
        }
        Assert.Fail($"{bytes.Length} bytes of garbage were accepted as a servable ztoc");
    }
}
