using System.Text;
using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

[CollectionDefinition(nameof(BuildThreadTests), DisableParallelization = true)]
public sealed class BuildThreadCollection;

/// <summary>
/// A gzip build inflates on a thread of its own; a build that fails on the reading side (a bad tar header) must
/// stop that thread before it returns, not leave it inflating the rest of the layer. Not run in parallel with
/// other tests, whose builds have inflating threads of their own.
/// </summary>
[Collection(nameof(BuildThreadTests))]
public sealed class BuildThreadTests : IDisposable
{
    private const string InflaterThreadName = "gzip-inflater";

    private readonly TestLayers _layers = new();

    [Fact]
    public void A_build_failing_on_its_first_tar_header_stops_inflating_the_rest_of_a_large_layer()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not a tar archive, only text ", 2_000_000)));
        var layer = _layers.Write("text.gz", TestLayers.Gzip(text));

        var error = Assert.ThrowsAny<ZtocFormatException>(() => new ZtocBuilder().BuildFromFile(layer, 65536));

        Assert.Contains("invalid tar header", error.Message);
        Assert.DoesNotContain(InflaterThreadName, ThreadNames());
    }

    [Fact]
    public void A_finished_build_leaves_no_inflating_thread()
    {
        var layer = _layers.Write("layer.tar.gz", TestLayers.Gzip(TestLayers.Tar(("a", TestLayers.Noise(1, 300_000)))));

        new ZtocBuilder().BuildFromFile(layer, 65536);

        Assert.DoesNotContain(InflaterThreadName, ThreadNames());
    }

    private static List<string> ThreadNames() =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'))
            .ToList();

    public void Dispose() => _layers.Dispose();
}
