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
/// <remarks>
/// A joined thread's OS thread still lists in /proc for a moment while it unwinds, so the checks allow it 100 ms to
/// go. A thread that was never stopped does not go: with nobody reading, it blocks once its output buffers are full.
/// </remarks>
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
        Assert.DoesNotContain(InflaterThreadName, ThreadNamesOnceInflaterGone());
    }

    [Fact]
    public void A_finished_build_leaves_no_inflating_thread()
    {
        var layer = _layers.Write("layer.tar.gz", TestLayers.Gzip(TestLayers.Tar(("a", TestLayers.Noise(1, 300_000)))));

        new ZtocBuilder().BuildFromFile(layer, 65536);

        Assert.DoesNotContain(InflaterThreadName, ThreadNamesOnceInflaterGone());
    }

    private static List<string> ThreadNamesOnceInflaterGone()
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(100);
        var names = ThreadNames();
        while (names.Contains(InflaterThreadName) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
            names = ThreadNames();
        }
        return names;
    }

    /// <summary>The names of this process's threads; one that exits while being listed is left out.</summary>
    private static List<string> ThreadNames()
    {
        var names = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // The thread exited between listing and reading.
            }
        }
        return names;
    }

    public void Dispose() => _layers.Dispose();
}
