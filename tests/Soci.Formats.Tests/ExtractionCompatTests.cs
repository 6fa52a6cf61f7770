using System.Security.Cryptography;
using System.Text.Json;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class ExtractionCompatTests
{
    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Every_regular_file_extracted_through_an_upstream_ztoc_matches_the_generators_sha256(string layer, string ztocFile)
    {
        var filesJson = CompatFixtures.LayerEntry(layer).GetProperty("files_json").GetString()!;
        var expectedFiles = JsonDocument.Parse(File.ReadAllText(CompatFixtures.PathOf(filesJson))).RootElement.EnumerateArray()
            .Where(f => f.GetProperty("type").GetString() == "reg")
            .ToList();
        using var range = new FileRangeReader(CompatFixtures.PathOf(layer));
        var reader = new LayerReader(ZtocParser.Parse(File.ReadAllBytes(CompatFixtures.PathOf(ztocFile))), range);

        Assert.NotEmpty(expectedFiles);
        foreach (var expected in expectedFiles)
        {
            using var output = new MemoryStream();
            await reader.ExtractFileAsync(expected.GetProperty("name").GetString()!, output);
            Assert.Equal(expected.GetProperty("size").GetInt64(), output.Length);
            Assert.Equal(expected.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(output.ToArray())));
        }
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public async Task Every_range_read_of_the_manifest_returns_the_recorded_bytes(string layer, string ztocFile)
    {
        using var range = new FileRangeReader(CompatFixtures.PathOf(layer));
        var reader = new LayerReader(ZtocParser.Parse(File.ReadAllBytes(CompatFixtures.PathOf(ztocFile))), range);

        var reads = CompatFixtures.ZtocEntry(ztocFile).GetProperty("range_reads").EnumerateArray().ToList();
        Assert.NotEmpty(reads);
        foreach (var read in reads)
        {
            var buffer = new byte[read.GetProperty("size").GetInt32()];
            var count = await reader.ReadAsync(read.GetProperty("offset").GetInt64(), buffer);
            Assert.Equal(buffer.Length, count);
            Assert.Equal(read.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(buffer)));
        }
    }
}
