using Akka.Configuration;

namespace Soci.Actors.Runtime;

/// <summary>What the actor runtime reads from the <c>soci</c> HOCON section, with upstream's "zero means default" rules.</summary>
public sealed record RuntimeSettings
{
    public string MetricsAddress { get; init; } = "";
    public string MetricsNetwork { get; init; } = "tcp";
    public bool NoPrometheus { get; init; }
    public int ResolveResultEntries { get; init; } = 30;

    /// <summary>Concurrent pre-resolutions; <see cref="int.MaxValue"/> when unlimited.</summary>
    public int MaxConcurrency { get; init; } = 100;

    public TimeSpan MountTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public bool MemorySpanCache { get; init; }
    public bool SociV1 { get; init; }
    public bool SociV2 { get; init; } = true;
    public int MaxSpanVerificationRetries { get; init; }
    public long SpanCacheCapacityBytes { get; init; } = 1L << 30;
    public TimeSpan AttributeTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan EntryTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan NegativeTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public BackgroundFetchSettings BackgroundFetch { get; init; } = new();
    public SupervisionSettings Supervision { get; init; } = new();
    public int FuseServingThreads { get; init; } = 4;
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public static RuntimeSettings Default { get; } = Create(RuntimeConfiguration.Reference);

    /// <summary>Reads the <c>soci</c> section of <paramref name="config"/> (which should fall back to the reference).</summary>
    /// <exception cref="ConfigurationException">A value is out of range (e.g. an unknown drop policy).</exception>
    public static RuntimeSettings Create(Config config)
    {
        var soci = config.GetConfig("soci") ?? throw new ConfigurationException("configuration has no `soci` section");
        var network = soci.GetString("metrics_network", "tcp");
        if (network is not ("tcp" or "unix"))
        {
            throw new ConfigurationException($"soci.metrics_network = \"{network}\": must be tcp or unix");
        }

        var maxConcurrency = soci.GetInt("max_concurrency", 100);
        return new RuntimeSettings
        {
            MetricsAddress = soci.GetString("metrics_address", ""),
            MetricsNetwork = network,
            NoPrometheus = soci.GetBoolean("no_prometheus", false),
            ResolveResultEntries = OrDefault(soci.GetInt("resolve_result_entry", 30), 30),
            MaxConcurrency = maxConcurrency < 0 ? int.MaxValue : OrDefault(maxConcurrency, 100),
            MountTimeout = TimeSpan.FromSeconds(OrDefault(soci.GetInt("mount_timeout_sec", 30), 30)),
            MemorySpanCache = soci.GetString("filesystem_cache_type", "") == "memory",
            SociV1 = soci.GetBoolean("pull_modes.soci_v1.enable", false),
            SociV2 = soci.GetBoolean("pull_modes.soci_v2.enable", true),
            MaxSpanVerificationRetries = soci.GetInt("blob.max_span_verification_retries", 0),
            SpanCacheCapacityBytes = soci.GetLong("blob.cache_capacity_bytes", 1L << 30),
            AttributeTimeout = TimeSpan.FromSeconds(OrDefault(soci.GetInt("fuse.attr_timeout", 1), 1)),
            EntryTimeout = TimeSpan.FromSeconds(OrDefault(soci.GetInt("fuse.entry_timeout", 1), 1)),
            NegativeTimeout = TimeSpan.FromSeconds(OrDefault(soci.GetInt("fuse.negative_timeout", 1), 1)),
            BackgroundFetch = BackgroundFetchSettings.Create(soci.GetConfig("background_fetch")),
            Supervision = SupervisionSettings.Create(soci.GetConfig("runtime.supervision")),
            FuseServingThreads = Math.Max(1, soci.GetInt("runtime.fuse_serving_threads", 4)),
            AskTimeout = soci.GetTimeSpan("runtime.ask_timeout", TimeSpan.FromMinutes(10)),
        };
    }

    private static int OrDefault(int value, int fallback) => value == 0 ? fallback : value;
}

/// <summary>The background fetcher's parameters (algorithms §10).</summary>
public sealed record BackgroundFetchSettings
{
    public bool Disable { get; init; }
    public TimeSpan SilencePeriod { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan FetchPeriod { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Queue bound; <see cref="int.MaxValue"/> when unlimited.</summary>
    public int MaxQueueSize { get; init; } = 300;

    public BackgroundDropPolicy DropPolicy { get; init; } = BackgroundDropPolicy.Newest;
    public TimeSpan EmitMetricPeriod { get; init; } = TimeSpan.FromSeconds(10);

    internal static BackgroundFetchSettings Create(Config section)
    {
        var queue = section.GetInt("max_queue_size", 300);
        var policy = section.GetString("drop_policy", "newest");
        return new BackgroundFetchSettings
        {
            Disable = section.GetBoolean("disable", false),
            SilencePeriod = TimeSpan.FromMilliseconds(section.GetInt("silence_period_msec", 30000)),
            FetchPeriod = TimeSpan.FromMilliseconds(Math.Max(1, section.GetInt("fetch_period_msec", 500))),
            MaxQueueSize = queue < 0 ? int.MaxValue : queue == 0 ? 300 : queue,
            DropPolicy = policy switch
            {
                "newest" => BackgroundDropPolicy.Newest,
                "oldest" => BackgroundDropPolicy.Oldest,
                _ => throw new ConfigurationException($"soci.background_fetch.drop_policy = \"{policy}\": must be newest or oldest"),
            },
            EmitMetricPeriod = TimeSpan.FromSeconds(Math.Max(1, section.GetInt("emit_metric_period_sec", 10))),
        };
    }
}

/// <summary>Which layer a full background-fetch queue gives up.</summary>
public enum BackgroundDropPolicy
{
    /// <summary>The layer being added is dropped.</summary>
    Newest,

    /// <summary>The layer at the head of the queue is dropped and the new one appended.</summary>
    Oldest,
}

/// <summary>How a mount's supervisor treats its FUSE serving loop.</summary>
public sealed record SupervisionSettings
{
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan HungRequestAfter { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxRestarts { get; init; } = 3;
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromMinutes(5);

    internal static SupervisionSettings Create(Config section) => new()
    {
        CheckInterval = section.GetTimeSpan("check_interval", TimeSpan.FromSeconds(1)),
        HungRequestAfter = section.GetTimeSpan("hung_request_after", TimeSpan.FromSeconds(30)),
        MaxRestarts = section.GetInt("max_restarts", 3),
        RestartWindow = section.GetTimeSpan("restart_window", TimeSpan.FromMinutes(5)),
    };
}
