using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Metadata;
using Soci.Formats.Toc;

namespace Soci.Layers.Tests;

/// <summary>The inode tree built from a TOC (algorithms §7).</summary>
public sealed class LayerMetadataTests
{
    [Fact]
    public void An_entry_takes_its_id_before_its_missing_ancestors_nearest_first()
    {
        var metadata = LayerMetadata.Build([Entry("a/b/c", "reg")]);

        Assert.Equal(2u, At(metadata, "a/b/c").Id);
        Assert.Equal(3u, At(metadata, "a/b").Id);
        Assert.Equal(4u, At(metadata, "a").Id);
        Assert.Equal(4ul, LayerFileSystem.InodeOf(metadata.Root));
        Assert.Equal(7ul, LayerFileSystem.InodeOf(At(metadata, "a")));
    }

    [Fact]
    public void Hard_links_share_their_target_node_and_raise_its_link_count()
    {
        var metadata = LayerMetadata.Build(
        [
            Entry("foo", "reg"), Entry("bar/", "dir"), Entry("bar/baz.txt", "reg"), Entry("xxx.txt", "reg"), Entry("y.txt", "reg"),
            Entry("bar/foolink", "hardlink", link: "foo"), Entry("bar/foolink2", "hardlink", link: "bar/foolink"), Entry("bar/1/", "dir"),
        ]);

        Assert.Equal(7, metadata.NodeCount);
        Assert.Equal(At(metadata, "foo"), At(metadata, "bar/foolink2"));
        Assert.Equal(3, At(metadata, "foo").LinkCount);
        Assert.Equal(3, At(metadata, "bar").LinkCount);
    }

    [Theory]
    [InlineData("./foo/", "foo")]
    [InlineData("/foo", "foo")]
    [InlineData("../foo", "foo")]
    [InlineData("bar/../bar///////foo", "bar/foo")]
    [InlineData("./", "")]
    public void Tar_names_are_cleaned_lexically(string name, string cleaned) =>
        Assert.Equal(cleaned, LayerPath.Clean(ByteString.FromString(name)).ToString());

    [Fact]
    public void A_dot_directory_entry_describes_the_root()
    {
        var metadata = LayerMetadata.Build([Entry("./", "dir", mode: 0x1C0, uid: 7)]);

        Assert.Equal(1, metadata.NodeCount);
        Assert.Equal(FileTypes.Directory | 0x1C0u, metadata.Root.Mode);
        Assert.Equal(7u, metadata.Root.Uid);
    }

    [Fact]
    public void A_hard_link_to_a_missing_entry_fails_the_layer()
    {
        var error = Assert.Throws<LayerMetadataException>(() => LayerMetadata.Build([Entry("link", "hardlink", link: "nowhere")]));

        Assert.Contains("cannot get link destination", error.Message);
    }

    [Fact]
    public void A_path_through_a_regular_file_fails_the_layer()
    {
        Assert.Throws<LayerMetadataException>(() => LayerMetadata.Build([Entry("file", "reg"), Entry("file/child", "reg")]));
    }

    private static LayerNode At(LayerMetadata metadata, string path) =>
        metadata.Find(path) ?? throw new InvalidOperationException($"{path} is not in the tree");

    private static FileMetadata Entry(string name, string type, string link = "", long mode = 0x1A4, uint uid = 0) => new()
    {
        Name = ByteString.FromString(name),
        Type = ByteString.FromString(type),
        Linkname = ByteString.FromString(link),
        Mode = mode,
        Uid = uid,
    };
}
