using System.Security.Cryptography;
using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

public class ZtocBuildCompatTests
{
    [Theory]
    [MemberData(nameof(CompatFixtures.LayerAndZtoc), MemberType = typeof(CompatFixtures))]
    public void Building_a_compat_layer_reproduces_upstreams_ztoc_byte_for_byte(string layer, string ztocFile)
    {
        var expected = CompatFixtures.ZtocEntry(ztocFile);
        var spanSize = expected.GetProperty("span_size").GetInt64();

        var ztoc = new ZtocBuilder("AWS SOCI CLI v0.2").BuildFromFile(CompatFixtures.PathOf(layer), spanSize);
        var bytes = ZtocSerializer.Serialize(ztoc);

        Assert.Equal(expected.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Equal(expected.GetProperty("digest").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
