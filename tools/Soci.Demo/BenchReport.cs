using System.Globalization;

namespace Soci.Demo;

/// <summary>The e2e benchmark's figures (issue #9): medians over the rounds, as ratios to the overlayfs baseline
/// measured in the same run, one `BENCH name=value` line each.</summary>
public static class BenchReport
{
    public static void Print(IReadOnlyList<RunMeasurement> runs, PublishedImage image)
    {
        var overlay = Median(runs, RunKind.Overlayfs, run => run.ToReady.TotalSeconds);
        var lazy = Median(runs, RunKind.Lazy, run => run.ToReady.TotalSeconds);
        var fallback = Median(runs, RunKind.Fallback, run => run.ToReady.TotalSeconds);
        var lazyBytes = Median(runs, RunKind.Lazy, run => run.RegistryBytes);
        Console.WriteLine($"medians: overlayfs {overlay:F1}s, lazy {lazy:F1}s, fallback {fallback:F1}s; " +
                          $"lazy registry bytes {lazyBytes / 1e6:F1} MB of a {image.CompressedSize / 1e6:F1} MB image");
        Line("e2e.lazy_ready_vs_overlayfs", lazy / overlay);
        Line("e2e.lazy_registry_bytes_fraction", lazyBytes / image.CompressedSize);
        Line("e2e.fallback_ready_vs_overlayfs", fallback / overlay);
    }

    private static void Line(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH {name}={value:F3}"));

    private static double Median(IEnumerable<RunMeasurement> runs, RunKind kind, Func<RunMeasurement, double> value)
    {
        var values = runs.Where(run => run.Kind == kind).Select(value).Order().ToArray();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }
}
