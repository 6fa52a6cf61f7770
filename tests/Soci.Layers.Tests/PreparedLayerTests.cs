using Microsoft.Extensions.Logging.Abstractions;
using Soci.Actors.Layers;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.Persistence;
using Soci.Actors.Layers.Spans;
using Soci.Actors.Runtime.Layers;
using Soci.Formats.Toc;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;

namespace Soci.Layers.Tests;

/// <summary>
/// A layer's prepared form (metadata tree, span table, span digests) stored in its file and read back serves the
/// same filesystem as the ztoc it was prepared from; a damaged file is refused and prepared again, never served.
/// </summary>
public sealed class PreparedLayerTests(SyntheticLayers synthetic) : IClassFixture<SyntheticLayers>
{
    private const string ZtocDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    [Theory]
    [InlineData(0, 64 * 1024)]
    [InlineData(1, 64 * 1024)]
    [InlineData(2, 1 << 20)]
    public async Task A_layer_mounted_from_its_stored_preparation_equals_the_tar(int layerIndex, long spanSize)
    {
        await using var directory = TestDirectory.Create("layers-prepared");
        var layer = synthetic.Layers[layerIndex];
        var file = directory.File("prepared");
        PreparedLayerFile.Write(file, ZtocDigest, PreparedLayer.FromZtoc(LazyMount.BuildZtoc(layer.Path, spanSize)));

        await using var mount = await LazyMount.StartAsync(
            directory.File("mnt"), PreparedLayerFile.Read(file, ZtocDigest), new FileLayerBlob(layer.Path), new MemorySpanCache(64 << 20), layer.Digest);

        var problems = TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Lazy), TreeWalker.Walk(mount.MountPoint));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    public static TheoryData<string, Func<byte[], byte[]>> Damages => new()
    {
        { "truncated", bytes => bytes[..(bytes.Length / 2)] },
        { "one byte flipped", bytes => Flip(bytes, bytes.Length / 3) },
        { "empty", _ => [] },
        { "random", bytes => Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), bytes.Length) },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_file_is_refused_naming_the_file(string damage, Func<byte[], byte[]> damageBytes)
    {
        await using var directory = TestDirectory.Create("layers-prepared-damaged");
        var file = directory.File("prepared");
        PreparedLayerFile.Write(file, ZtocDigest, PreparedLayer.FromZtoc(LazyMount.BuildZtoc(synthetic.Layers[0].Path, 64 * 1024)));
        await File.WriteAllBytesAsync(file, damageBytes(await File.ReadAllBytesAsync(file)));

        var error = Assert.Throws<InvalidDataException>(() => PreparedLayerFile.Read(file, ZtocDigest));

        Assert.True(error.Message.Contains(file) && error.Message.Contains("truncated or corrupt"), $"{damage}: {error.Message}");
    }

    [Fact]
    public async Task A_file_of_another_ztoc_is_refused()
    {
        await using var directory = TestDirectory.Create("layers-prepared-other");
        var file = directory.File("prepared");
        PreparedLayerFile.Write(file, ZtocDigest, PreparedLayer.FromZtoc(LazyMount.BuildZtoc(synthetic.Layers[0].Path, 64 * 1024)));

        var error = Assert.Throws<InvalidDataException>(() => PreparedLayerFile.Read(file, ZtocDigest.Replace('1', '2')));

        Assert.Contains($"belongs to ztoc {ZtocDigest}", error.Message);
    }

    [Fact]
    public async Task The_store_prepares_a_ztoc_once_and_then_serves_it_without_the_ztoc()
    {
        await using var directory = TestDirectory.Create("layers-prepared-store");
        var layer = synthetic.Layers[2];
        var ztoc = LazyMount.BuildZtoc(layer.Path, 1 << 20);
        var loads = 0;
        Task<Ztoc> Load(CancellationToken _)
        {
            loads++;
            return Task.FromResult(ztoc);
        }

        await new PreparedLayerStore(directory.File("layers"), NullLogger.Instance).GetOrPrepareAsync(ZtocDigest, Load, CancellationToken.None);
        // A new store over the same directory: what a restarted daemon has.
        var restarted = new PreparedLayerStore(directory.File("layers"), NullLogger.Instance);
        var prepared = await restarted.GetOrPrepareAsync(ZtocDigest, _ => throw new InvalidOperationException("the ztoc was loaded again"), CancellationToken.None);

        Assert.Equal(1, loads);
        await using var mount = await LazyMount.StartAsync(directory.File("mnt"), prepared, new FileLayerBlob(layer.Path), new MemorySpanCache(64 << 20), layer.Digest);
        Assert.Empty(TarTree.Compare(TarTree.Expected(layer.Path, Presentation.Lazy), TreeWalker.Walk(mount.MountPoint)));
    }

    [Fact]
    public async Task The_store_prepares_a_damaged_file_again_from_the_ztoc_and_replaces_it()
    {
        await using var directory = TestDirectory.Create("layers-prepared-repair");
        var ztoc = LazyMount.BuildZtoc(synthetic.Layers[0].Path, 64 * 1024);
        var store = new PreparedLayerStore(directory.File("layers"), NullLogger.Instance);
        await store.GetOrPrepareAsync(ZtocDigest, _ => Task.FromResult(ztoc), CancellationToken.None);
        var path = store.PathOf(ZtocDigest);
        await File.WriteAllBytesAsync(path, Flip(await File.ReadAllBytesAsync(path), 100));

        var prepared = await store.GetOrPrepareAsync(ZtocDigest, _ => Task.FromResult(ztoc), CancellationToken.None);

        Assert.Equal(ztoc.SpanDigests, prepared.SpanDigests);
        Assert.Equal(ztoc.SpanDigests, PreparedLayerFile.Read(path, ZtocDigest).SpanDigests);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x5a;
        return copy;
    }
}
