using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.Spans;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;

namespace Soci.Layers.Tests;

/// <summary>A lazily mounted layer, read in full through FUSE, equals its tar in every detail.</summary>
public sealed class LayerMountTests(SyntheticLayers synthetic) : IClassFixture<SyntheticLayers>
{
    [Theory]
    [InlineData(0, 64 * 1024)]
    [InlineData(1, 64 * 1024)]
    [InlineData(2, 1 << 20)]
    [InlineData(2, 4 << 20)]
    public async Task A_full_walk_of_the_mount_equals_the_tar(int layerIndex, long spanSize)
    {
        await using var directory = TestDirectory.Create("layers-walk");
        var layer = synthetic.Layers[layerIndex];
        var ztoc = LazyMount.BuildZtoc(layer.Path, spanSize);
        await using var mount = await LazyMount.StartAsync(
            directory.File("mnt"), ztoc, new FileLayerBlob(layer.Path), new MemorySpanCache(64 << 20), layer.Digest);

        var problems = TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Lazy), TreeWalker.Walk(mount.MountPoint));

        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_state_file_reports_the_layer_digest_and_what_was_fetched()
    {
        await using var directory = TestDirectory.Create("layers-state");
        var layer = synthetic.Layers[2];
        var ztoc = LazyMount.BuildZtoc(layer.Path, 1 << 20);
        await using var mount = await LazyMount.StartAsync(
            directory.File("mnt"), ztoc, new FileLayerBlob(layer.Path), new MemorySpanCache(64 << 20), layer.Digest);
        var stateFile = Path.Combine(mount.MountPoint, ".soci-snapshotter", layer.Digest + ".json");

        var before = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(stateFile))!;
        await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, "big/random.bin"));
        var after = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(stateFile))!;

        Assert.Equal(layer.Digest, (string)before["digest"]!);
        Assert.Equal(layer.Size, (long)before["size"]!);
        Assert.True((long)before["fetchedSize"]! < layer.Size / 10, $"fetched {before["fetchedSize"]} before any read");
        Assert.Equal(100.0, (double)after["fetchedPercent"]!, 1);
        Assert.DoesNotContain(".soci-snapshotter", Directory.GetFileSystemEntries(mount.MountPoint).Select(Path.GetFileName));
    }
}
