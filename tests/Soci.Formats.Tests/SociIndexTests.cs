using System.Security.Cryptography;
using System.Text;
using Soci.Formats.Index;
using Soci.Formats.Json;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class SociIndexTests
{
    private const string LayerDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string ZtocDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string ManifestDigest = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
    private const string PrefetchDigest = "sha256:4444444444444444444444444444444444444444444444444444444444444444";

    [Fact]
    public void The_empty_config_digest_is_the_sha256_of_two_braces()
    {
        Assert.Equal(SociMediaTypes.EmptyConfigDigest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(SociMediaTypes.EmptyConfig)));
    }

    [Fact]
    public void A_v1_index_is_written_in_go_field_order_with_sorted_annotations_and_its_subject()
    {
        var index = new SociIndex
        {
            ArtifactType = SociMediaTypes.IndexV1,
            Blobs =
            [
                SociIndex.ZtocDescriptor(ZtocDigest, 65928, LayerDigest, "application/vnd.oci.image.layer.v1.tar+gzip", 4194304),
                SociIndex.PrefetchDescriptor(PrefetchDigest, 57, LayerDigest),
            ],
            Subject = new Descriptor { MediaType = SociMediaTypes.ImageManifest, Digest = ManifestDigest, Size = 1234 },
            Annotations = SociIndex.BuildToolAnnotations(Ztoc.DefaultBuildTool),
        };

        var json = Encoding.UTF8.GetString(SociIndexSerializer.Serialize(index));

        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.amazon.soci.index.v1+json\",\"digest\":\"" + SociMediaTypes.EmptyConfigDigest + "\",\"size\":2},"
            + "\"layers\":["
            + "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + ZtocDigest + "\",\"size\":65928,\"annotations\":{"
            + "\"com.amazon.soci.image-layer-digest\":\"" + LayerDigest + "\","
            + "\"com.amazon.soci.image-layer-mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"com.amazon.soci.span-size\":\"4194304\"}},"
            + "{\"mediaType\":\"application/vnd.amazon.soci.prefetch.v1+json\",\"digest\":\"" + PrefetchDigest + "\",\"size\":57,\"annotations\":{"
            + "\"com.amazon.soci.image-layer-digest\":\"" + LayerDigest + "\"}}],"
            + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + ManifestDigest + "\",\"size\":1234},"
            + "\"annotations\":{\"com.amazon.soci.build-tool-identifier\":\"AWS SOCI CLI v0.2\"}}",
            json);
    }

    [Fact]
    public void A_v2_index_has_no_subject_and_the_disable_xattrs_annotation_sorts_first()
    {
        var index = new SociIndex
        {
            ArtifactType = SociMediaTypes.IndexV2,
            Blobs = [SociIndex.ZtocDescriptor(ZtocDigest, 10, LayerDigest, "application/vnd.oci.image.layer.v1.tar", 65536, disableXattrs: true)],
            Annotations = SociIndex.BuildToolAnnotations(Ztoc.DefaultBuildTool),
        };

        var json = Encoding.UTF8.GetString(SociIndexSerializer.Serialize(index));

        Assert.Contains("\"config\":{\"mediaType\":\"application/vnd.amazon.soci.index.v2+json\"", json);
        Assert.DoesNotContain("subject", json);
        Assert.Contains("\"annotations\":{\"com.amazon.soci.disable-xattrs\":\"true\",\"com.amazon.soci.image-layer-digest\"", json);
    }

    [Fact]
    public void Writing_a_v1_index_without_a_subject_fails()
    {
        var index = new SociIndex { ArtifactType = SociMediaTypes.IndexV1, Blobs = [] };

        var error = Assert.Throws<ArgumentException>(() => SociIndexSerializer.Serialize(index));
        Assert.Equal("cannot write soci index: the Refers field is nil", error.Message);
    }

    [Fact]
    public void An_index_read_back_and_written_again_is_byte_identical()
    {
        var index = new SociIndex
        {
            ArtifactType = SociMediaTypes.IndexV1,
            Blobs = [SociIndex.ZtocDescriptor(ZtocDigest, 1, LayerDigest, "application/vnd.docker.image.rootfs.diff.tar.gzip", 1048576)],
            Subject = new Descriptor
            {
                MediaType = SociMediaTypes.ImageManifest,
                Digest = ManifestDigest,
                Size = 5,
                Platform = new Platform { Architecture = "arm64", Os = "linux", Variant = "v8", OsFeatures = ["a"] },
                ArtifactType = "application/x-test",
            },
            Annotations = SociIndex.BuildToolAnnotations("tool <&> \u2028"),
        };
        var bytes = SociIndexSerializer.Serialize(index);

        var again = SociIndexSerializer.Serialize(SociIndexSerializer.Parse(bytes));

        Assert.Equal(bytes, again);
    }

    [Fact]
    public void Reading_a_manifest_whose_config_is_not_a_soci_index_type_fails_with_unknown_index_version()
    {
        var manifest = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:00\",\"size\":2},\"layers\":[]}"u8.ToArray();

        var error = Assert.Throws<ZtocFormatException>(() => SociIndexSerializer.Parse(manifest));
        Assert.Equal("unknown index version: application/vnd.oci.image.config.v1+json", error.Message);
    }

    [Fact]
    public void Go_json_escapes_html_characters_control_bytes_line_separators_and_invalid_utf8()
    {
        var json = new GoJsonWriter().String([.. "<a>&\"\\\b\f\n\r\t"u8, 0x01, 0x1f, .. "\u2028\u2029é"u8, 0xff, .. "x"u8]).ToString();

        Assert.Equal("\"\\u003ca\\u003e\\u0026\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\\u2028\\u2029é\\ufffdx\"", json);
    }
}
