using System.Security.Cryptography;
using System.Text.Json;
using Soci.Formats.Compression;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class ZtocParseCompatTests
{
    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public void Parsing_an_upstream_ztoc_gives_every_field_of_its_dump(string layer, string ztocFile)
    {
        _ = layer;
        var dump = CompatFixtures.Dump(ztocFile);
        var ztoc = ZtocParser.Parse(File.ReadAllBytes(CompatFixtures.PathOf(ztocFile)));
        var zinfo = Zinfo.FromZtoc(ztoc);

        Assert.Equal(dump.GetProperty("version").GetString(), ztoc.Version);
        Assert.Equal(dump.GetProperty("build_tool").GetString(), ztoc.BuildToolIdentifier.ToString());
        Assert.Equal(dump.GetProperty("compressed_archive_size").GetInt64(), ztoc.CompressedArchiveSize);
        Assert.Equal(dump.GetProperty("uncompressed_archive_size").GetInt64(), ztoc.UncompressedArchiveSize);
        Assert.Equal(dump.GetProperty("compression_algorithm").GetString(), ztoc.CompressionAlgorithm);
        Assert.Equal(dump.GetProperty("max_span_id").GetInt32(), ztoc.MaxSpanId);
        Assert.Equal(dump.GetProperty("span_size").GetInt64(), zinfo.SpanSize);
        Assert.Equal(dump.GetProperty("checkpoints_size").GetInt32(), ztoc.Checkpoints.Length);
        Assert.Equal(dump.GetProperty("checkpoints_digest").GetString(), Sha256(ztoc.Checkpoints.Span));

        var spans = dump.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(spans.Count, zinfo.SpanCount);
        foreach (var span in spans)
        {
            var id = span.GetProperty("id").GetInt32();
            Assert.Equal(span.GetProperty("start_compressed_offset").GetInt64(), zinfo.StartCompressedOffset(id));
            Assert.Equal(span.GetProperty("end_compressed_offset").GetInt64(), zinfo.EndCompressedOffset(id));
            Assert.Equal(span.GetProperty("start_uncompressed_offset").GetInt64(), zinfo.StartUncompressedOffset(id));
            Assert.Equal(span.GetProperty("end_uncompressed_offset").GetInt64(), zinfo.EndUncompressedOffset(id));
            Assert.Equal(span.GetProperty("digest").GetString(), ztoc.SpanDigests[id]);
        }

        var files = dump.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files.Count, ztoc.Files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            AssertFileMatches(files[i], ztoc.Files[i], zinfo);
        }
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public void An_upstream_ztoc_parsed_and_serialized_again_is_unchanged(string layer, string ztocFile)
    {
        _ = layer;
        var bytes = File.ReadAllBytes(CompatFixtures.PathOf(ztocFile));

        var again = ZtocSerializer.Serialize(ZtocParser.Parse(bytes));

        Assert.Equal(bytes, again);
    }

    private static void AssertFileMatches(JsonElement expected, FileMetadata actual, Zinfo zinfo)
    {
        var name = expected.GetProperty("name").GetString();
        Assert.Equal(name, actual.Name.ToString());
        Assert.Equal(expected.GetProperty("type").GetString(), actual.Type.ToString());
        Assert.Equal(expected.GetProperty("uncompressed_offset").GetInt64(), actual.UncompressedOffset);
        Assert.Equal(expected.GetProperty("uncompressed_size").GetInt64(), actual.UncompressedSize);
        Assert.Equal(expected.GetProperty("tar_header_offset").GetInt64(), actual.TarHeaderOffset);
        Assert.Equal(expected.GetProperty("linkname").GetString(), actual.Linkname.ToString());
        Assert.Equal(expected.GetProperty("mode").GetInt64(), actual.Mode);
        Assert.Equal(expected.GetProperty("uid").GetUInt32(), actual.Uid);
        Assert.Equal(expected.GetProperty("gid").GetUInt32(), actual.Gid);
        Assert.Equal(expected.GetProperty("uname").GetString(), actual.Uname.ToString());
        Assert.Equal(expected.GetProperty("gname").GetString(), actual.Gname.ToString());
        Assert.Equal(expected.GetProperty("mod_time").GetString(), actual.ModTime.ToRfc3339());
        Assert.Equal(expected.GetProperty("mod_time_unix_nano").GetInt64(), actual.ModTime.UnixNanoseconds);
        Assert.Equal(expected.GetProperty("devmajor").GetInt64(), actual.DevMajor);
        Assert.Equal(expected.GetProperty("devminor").GetInt64(), actual.DevMinor);
        Assert.Equal(
            expected.GetProperty("pax_headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()),
            actual.PaxRecords.ToDictionary(r => r.Key.ToString(), r => (string?)r.Value.ToString()));
        Assert.Equal(
            expected.GetProperty("xattrs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()),
            actual.Xattrs.ToDictionary(x => x.Key, x => (string?)x.Value.ToString()));
        Assert.Equal(expected.GetProperty("start_span").GetInt32(), zinfo.SpanOf(actual.UncompressedOffset));
        Assert.Equal(expected.GetProperty("end_span").GetInt32(), zinfo.SpanOf(actual.UncompressedOffset + actual.UncompressedSize));
        Assert.Equal(expected.GetProperty("mode_octal").GetString(), Convert.ToString(actual.Mode, 8));
    }

    private static string Sha256(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
