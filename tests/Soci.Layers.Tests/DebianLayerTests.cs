using Soci.Actors.Layers.Caching;
using Soci.Actors.Unpack;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;

namespace Soci.Layers.Tests;

/// <summary>Every layer of the real Debian image, lazily mounted from the registry and unpacked locally, equals its tar.</summary>
public sealed class DebianLayerTests(DebianLayers debian) : IClassFixture<DebianLayers>
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_full_walk_of_the_lazily_mounted_layer_equals_the_tar(int layerIndex)
    {
        await using var directory = TestDirectory.Create("layers-debian-lazy");
        var layer = debian.Layers[layerIndex];
        await using var mount = await LazyMount.StartAsync(
            directory.File("mnt"), debian.Ztoc(layerIndex), debian.Blob(layerIndex), new MemorySpanCache(256 << 20), layer.Digest);

        var problems = TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Lazy), TreeWalker.Walk(mount.MountPoint));

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_locally_unpacked_layer_equals_the_tar(int layerIndex)
    {
        await using var directory = TestDirectory.Create("layers-debian-unpack");
        var layer = debian.Layers[layerIndex];
        var target = directory.File("snapshot");

        await LocalLayerUnpacker.UnpackAsync(layer.Path, target, new LocalUnpackOptions { BlobDigest = layer.Digest }, CancellationToken.None);

        var problems = TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Unpacked), TreeWalker.Walk(target));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }
}
