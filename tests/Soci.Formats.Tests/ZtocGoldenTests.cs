using System.Security.Cryptography;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class ZtocGoldenTests
{
    [Fact]
    public void Serializing_upstreams_TestWriteZtoc_input_gives_its_golden_digest()
    {
        var emptyFile = new FileMetadata { Name = ByteString.Empty, Type = ByteString.Empty, ModTime = ZtocTime.Zero };
        var ztoc = new Ztoc
        {
            Version = "0.9",
            BuildToolIdentifier = ByteString.FromString("AWS SOCI CLI"),
            Files = [emptyFile, emptyFile],
            Checkpoints = new byte[65536],
            MaxSpanId = 3,
            SpanDigests = [],
            CompressedArchiveSize = 2000000,
            UncompressedArchiveSize = 2500000,
            CompressionAlgorithm = "",
        };

        var bytes = ZtocSerializer.Serialize(ztoc);

        Assert.Equal(65928, bytes.Length);
        Assert.Equal("eba28fdf50b1b57543f57dd051b2468c1d4f57b64d2006c75aa4de1d03e6c7ec", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Theory]
    [InlineData("Gzip")]
    [InlineData("GZIP")]
    [InlineData("zstd")]
    public void Serializing_a_ztoc_with_an_algorithm_that_is_not_exactly_gzip_or_uncompressed_fails(string algorithm)
    {
        var ztoc = new Ztoc { CompressionAlgorithm = algorithm, Checkpoints = new byte[12] };

        var error = Assert.Throws<ZtocFormatException>(() => ZtocSerializer.Serialize(ztoc));
        Assert.Contains("compression algorithm not defined in flatbuf", error.Message);
    }

    [Fact]
    public void An_uncompressed_ztoc_stores_the_algorithm_and_reads_it_back()
    {
        var ztoc = new Ztoc { CompressionAlgorithm = CompressionAlgorithms.Uncompressed, Checkpoints = new byte[12] };

        var parsed = ZtocParser.Parse(ZtocSerializer.Serialize(ztoc));

        Assert.Equal(CompressionAlgorithms.Uncompressed, parsed.CompressionAlgorithm);
    }
}
