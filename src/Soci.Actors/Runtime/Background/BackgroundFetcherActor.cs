using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Metrics;

namespace Soci.Actors.Runtime.Background;

/// <summary>
/// Fetches the spans of resolved layers that no reader asked for yet (algorithms §10): round-robin over a
/// bounded queue of layers, at most one span started per fetch period and never more than one in flight, so it
/// stays out of the way of on-demand reads (which share in-flight spans with it through the span manager).
/// The first mount of each image silences it for the silence period. A layer whose last span arrives is announced with
/// <see cref="LayerFullyFetched"/> on the event stream.
/// </summary>
public sealed class BackgroundFetcherActor : ReceiveActor, IWithTimers
{
    private const string TickTimer = "fetch-tick";
    private const string MetricTimer = "emit-metric";

    private readonly BackgroundFetchSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<QueuedLayer> _queue = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _silentUntil;
    private bool _busy;
    private long _spansFetched;
    private long _dropped;

    public BackgroundFetcherActor(BackgroundFetchSettings settings)
    {
        _settings = settings;
        Receive<FetchInBackground>(Add);
        Receive<StopFetching>(stop => Remove(stop.Layer));
        Receive<PauseBackgroundFetch>(_ => Pause());
        Receive<Tick>(_ => FetchNext());
        Receive<SpanFetched>(OnSpanFetched);
        Receive<EmitMetric>(_ => FsMetrics.AddBackgroundQueueSize(_queue.Count));
        Receive<GetBackgroundFetchStatus>(_ =>
            Sender.Tell(new BackgroundFetchStatus(_queue.Count, IsSilent, Interlocked.Read(ref _spansFetched), _dropped)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BackgroundFetchSettings settings) => Akka.Actor.Props.Create(() => new BackgroundFetcherActor(settings));

    private bool IsSilent => Stopwatch.GetTimestamp() < _silentUntil;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.FetchPeriod);
        Timers.StartPeriodicTimer(MetricTimer, EmitMetric.Instance, _settings.EmitMetricPeriod);
    }

    private void Add(FetchInBackground request)
    {
        if (_queue.Count >= _settings.MaxQueueSize)
        {
            _dropped++;
            FsMetrics.Count(FsMetrics.BackgroundFetchWorkQueueEvicted);
            if (_settings.DropPolicy == BackgroundDropPolicy.Newest)
            {
                _log.Debug("background fetch queue full: dropping new layer {0}", request.Layer.Key);
                return;
            }

            _log.Debug("background fetch queue full: dropping oldest layer {0}", _queue.First!.Value.Layer.Key);
            _queue.RemoveFirst();
        }

        _queue.AddLast(new QueuedLayer(request.Layer, Stopwatch.GetTimestamp()));
    }

    private void Remove(RuntimeLayer layer)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (ReferenceEquals(node.Value.Layer, layer))
            {
                _queue.Remove(node);
                return;
            }
        }
    }

    private void Pause()
    {
        _silentUntil = Stopwatch.GetTimestamp() + (long)(_settings.SilencePeriod.TotalSeconds * Stopwatch.Frequency);
        _log.Debug("background fetch silenced for {0}", _settings.SilencePeriod);
    }

    private void FetchNext()
    {
        if (_busy || IsSilent)
        {
            return;
        }

        while (_queue.First is { } head)
        {
            _queue.RemoveFirst();
            var queued = head.Value;
            if (queued.Layer.IsDisposed)
            {
                continue;
            }

            _busy = true;
            queued.Layer.Spans.FetchNextUnfetchedSpanAsync(_stopping.Token).PipeTo(
                Self,
                success: more => new SpanFetched(queued, more, null),
                failure: error => new SpanFetched(queued, false, error.GetBaseException()));
            return;
        }
    }

    private void OnSpanFetched(SpanFetched fetched)
    {
        _busy = false;
        var layer = fetched.Queued.Layer;
        if (fetched.Error is { } error)
        {
            if (!layer.IsDisposed)
            {
                FsMetrics.Count(FsMetrics.BackgroundSpanFetchFailureCount, layer.Key.LayerDigest);
                _log.Warning("background fetch of layer {0} failed: {1}", layer.Key, error.Message);
            }

            return;
        }

        Interlocked.Increment(ref _spansFetched);
        FsMetrics.Count(FsMetrics.BackgroundSpanFetchCount, layer.Key.LayerDigest);
        if (layer.IsDisposed)
        {
            // Closed while its span was in flight (its StopFetching found it out of the queue): queueing it again
            // would keep the closed layer's metadata alive until the next tick, or through a whole silence period.
            return;
        }

        if (fetched.More)
        {
            _queue.AddLast(fetched.Queued);
            return;
        }

        FsMetrics.ObserveOperation(FsMetrics.BackgroundFetch, layer.Key.LayerDigest, Stopwatch.GetElapsedTime(fetched.Queued.Started));
        _log.Info("layer {0} is fully fetched ({1} spans)", layer.Key, layer.Spans.SpanCount);
        Context.System.EventStream.Publish(new LayerFullyFetched(layer.Key, layer.Spans.SpanCount, layer.Spans.FetchedBytes));
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record QueuedLayer(RuntimeLayer Layer, long Started);

    private sealed record SpanFetched(QueuedLayer Queued, bool More, Exception? Error);

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record EmitMetric
    {
        public static EmitMetric Instance { get; } = new();
    }
}
