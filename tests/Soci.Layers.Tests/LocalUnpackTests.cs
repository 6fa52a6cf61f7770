using Soci.Actors.Unpack;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;

namespace Soci.Layers.Tests;

/// <summary>The local fallback writes exactly the layer's tar into a directory, with whiteouts converted for overlayfs.</summary>
public sealed class LocalUnpackTests(SyntheticLayers synthetic) : IClassFixture<SyntheticLayers>
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_unpacked_layer_equals_the_tar(int layerIndex)
    {
        await using var directory = TestDirectory.Create("layers-unpack");
        var layer = synthetic.Layers[layerIndex];
        var target = directory.File("snapshot");

        await LocalLayerUnpacker.UnpackAsync(layer.Path, target, new LocalUnpackOptions { BlobDigest = layer.Digest }, CancellationToken.None);

        Assert.Empty(TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Unpacked), TreeWalker.Walk(target)));
    }

    [Fact]
    public async Task A_blob_whose_digest_does_not_match_is_rejected()
    {
        await using var directory = TestDirectory.Create("layers-unpack-digest");
        var layer = synthetic.Layers[0];

        var error = await Assert.ThrowsAsync<LayerUnpackException>(() => LocalLayerUnpacker.UnpackAsync(
            layer.Path, directory.File("snapshot"), new LocalUnpackOptions { BlobDigest = "sha256:" + new string('0', 64) }, CancellationToken.None));

        Assert.Contains("compressed digests did not match", error.Message);
    }

    [Fact]
    public async Task A_blob_that_is_not_a_layer_is_rejected_with_a_clear_error()
    {
        await using var directory = TestDirectory.Create("layers-unpack-garbage");
        var blob = directory.File("garbage");
        await File.WriteAllBytesAsync(blob, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

        await Assert.ThrowsAsync<LayerUnpackException>(() =>
            LocalLayerUnpacker.UnpackAsync(blob, directory.File("snapshot"), new LocalUnpackOptions(), CancellationToken.None));
    }
}
