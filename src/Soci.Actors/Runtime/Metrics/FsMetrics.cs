using Prometheus;

namespace Soci.Actors.Runtime.Metrics;

/// <summary>
/// The filesystem metrics with upstream's names (snapshotter.md §11): namespace <c>soci</c>, subsystem <c>fs</c>,
/// registered in prometheus-net's default registry, which the daemon's <c>/metrics</c> endpoint serves.
/// </summary>
public static class FsMetrics
{
    // Operation types of soci_fs_operation_duration_milliseconds.
    public const string Mount = "mount";
    public const string FuseMount = "fuse_mount";
    public const string InitMetadataStore = "init_metadata_store";
    public const string BackgroundFetch = "background_fetch";
    public const string ZtocUnmarshal = "ztoc_unmarshal";
    public const string SociIndexFetch = "soci_index_fetch";
    public const string ZtocFetch = "ztoc_fetch";

    // Operation types of soci_fs_operation_count.
    public const string FuseMountFailureCount = "fuse_mount_failure_count";
    public const string BackgroundSpanFetchCount = "background_span_fetch_count";
    public const string BackgroundSpanFetchFailureCount = "background_span_fetch_failure_count";
    public const string BackgroundFetchWorkQueueEvicted = "background_fetch_work_queue_evicted";
    public const string ResolveCacheHit = "resolve_cache_hit";
    public const string ResolveCacheMiss = "resolve_cache_miss";
    public const string PreresolveQueueDrop = "preresolve_queue_drop";
    public const string FuseFailureState = "fuse_failure_state";
    public const string BackgroundFetchWorkQueueSize = "background_fetch_work_queue_size";

    private static readonly string[] OperationLabels = ["operation_type", "layer"];

    private static readonly Histogram MillisecondDurations = Prometheus.Metrics.CreateHistogram(
        "soci_fs_operation_duration_milliseconds", "Latency of filesystem operations in milliseconds",
        new HistogramConfiguration { LabelNames = OperationLabels, Buckets = Histogram.ExponentialBuckets(1, 2, 15) });

    private static readonly Histogram MicrosecondDurations = Prometheus.Metrics.CreateHistogram(
        "soci_fs_operation_duration_microseconds", "Latency of FUSE operations in microseconds",
        new HistogramConfiguration { LabelNames = OperationLabels, Buckets = Histogram.ExponentialBuckets(1, 2, 11) });

    private static readonly Counter OperationCounts = Prometheus.Metrics.CreateCounter(
        "soci_fs_operation_count", "Count of filesystem operations and failures",
        new CounterConfiguration { LabelNames = OperationLabels });

    private static readonly Gauge BytesServed = Prometheus.Metrics.CreateGauge(
        "soci_fs_bytes_served", "Bytes served by synchronous reads", new GaugeConfiguration { LabelNames = OperationLabels });

    private static readonly Gauge ImageOperationCounts = Prometheus.Metrics.CreateGauge(
        "soci_fs_image_operation_count_key", "FUSE operation counts per image",
        new GaugeConfiguration { LabelNames = ["operation_type", "image"] });

    private static readonly Counter LayerFetchedBytes = Prometheus.Metrics.CreateCounter(
        "soci_fs_layer_fetched_size_bytes", "Compressed bytes fetched of each mounted layer",
        new CounterConfiguration { LabelNames = ["digest", "mountpoint"] });

    private static readonly Counter LayerSizes = Prometheus.Metrics.CreateCounter(
        "soci_fs_layer_size_bytes", "Compressed size of each mounted layer", new CounterConfiguration { LabelNames = ["digest", "mountpoint"] });

    static FsMetrics()
    {
        // Always exported, also before the first drop (algorithms §10).
        OperationCounts.WithLabels(BackgroundFetchWorkQueueEvicted, "").IncTo(0);
    }

    public static void ObserveOperation(string operation, string layer, TimeSpan elapsed) =>
        MillisecondDurations.WithLabels(operation, layer).Observe(elapsed.TotalMilliseconds);

    public static void ObserveFuseOperation(string operation, string layer, TimeSpan elapsed) =>
        MicrosecondDurations.WithLabels(operation, layer).Observe(elapsed.TotalMicroseconds);

    public static void Count(string operation, string layer = "", long by = 1) => OperationCounts.WithLabels(operation, layer).Inc(by);

    /// <summary>Sets a monotonically growing count read from elsewhere (FUSE session statistics).</summary>
    public static void CountTo(string operation, string layer, long value) => OperationCounts.WithLabels(operation, layer).IncTo(value);

    public static double CountOf(string operation, string layer = "") => OperationCounts.WithLabels(operation, layer).Value;

    public static void AddBytesServed(string layer, long bytes) => BytesServed.WithLabels("synchronous_bytes_served", layer).Inc(bytes);

    /// <summary>Upstream adds the queue length every metric period rather than setting it; kept for compatibility.</summary>
    public static void AddBackgroundQueueSize(int length) => ImageOperationCounts.WithLabels(BackgroundFetchWorkQueueSize, "").Inc(length);

    public static void SetLayerProgress(string digest, string mountPoint, long fetched, long size)
    {
        LayerFetchedBytes.WithLabels(digest, mountPoint).IncTo(fetched);
        LayerSizes.WithLabels(digest, mountPoint).IncTo(size);
    }

    public static void RemoveLayer(string digest, string mountPoint)
    {
        LayerFetchedBytes.RemoveLabelled(digest, mountPoint);
        LayerSizes.RemoveLabelled(digest, mountPoint);
    }
}
