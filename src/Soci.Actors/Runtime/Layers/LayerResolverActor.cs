using Akka.Actor;
using Akka.Event;
using Soci.Actors.Runtime.Background;
using Soci.Actors.Runtime.Metrics;

namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// Turns layer requests into ready-to-mount layers (snapshotter.md §7) and owns their lifecycle: a bounded LRU
/// with references (an evicted layer that is still mounted stays alive until released), one resolution per key
/// however many mounts ask at once, and the pre-resolution of an image's other layers through a bounded,
/// de-duplicated queue run at most <c>max_concurrency</c> at a time. Closing a layer stops its background fetch
/// and releases its memory, files and blob.
/// </summary>
public sealed class LayerResolverActor : ReceiveActor
{
    /// <summary>Pending pre-resolutions the queue holds before dropping (upstream's channel capacity).</summary>
    public const int PreResolveQueueCapacity = 1024;

    private readonly ILayerFactory _factory;
    private readonly ILayerCache _cache;
    private readonly IActorRef _backgroundFetcher;
    private readonly int _maxConcurrency;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<LayerKey, Resolution> _resolving = [];
    private readonly LinkedList<LayerRequest> _preResolveQueue = new();
    private readonly HashSet<LayerKey> _preResolveQueued = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _preResolving;

    public LayerResolverActor(ILayerFactory factory, ILayerCache cache, IActorRef backgroundFetcher, int maxConcurrency)
    {
        _factory = factory;
        _cache = cache;
        _backgroundFetcher = backgroundFetcher;
        _maxConcurrency = maxConcurrency;

        Receive<ResolveLayer>(request => Resolve(request.Request));
        Receive<PreResolveLayers>(request => Enqueue(request.Requests));
        Receive<ResolutionFinished>(Finish);
        Receive<ReleaseLayer>(Release);
        Receive<GetLayerCacheStatus>(_ =>
            Sender.Tell(new LayerCacheStatus(_cache.Count, _cache.LiveLayers, _resolving.Count, _preResolveQueue.Count)));
    }

    /// <param name="backgroundFetcher">Gets every new layer to fetch in the background; <see cref="ActorRefs.Nobody"/> when disabled.</param>
    public static Props Props(ILayerFactory factory, ILayerCache cache, IActorRef backgroundFetcher, int maxConcurrency) =>
        Akka.Actor.Props.Create(() => new LayerResolverActor(factory, cache, backgroundFetcher, maxConcurrency));

    private void Resolve(LayerRequest request)
    {
        if (_cache.TryAcquire(request.Key, out var cached))
        {
            FsMetrics.Count(FsMetrics.ResolveCacheHit);
            Sender.Tell(new LayerResolved(cached));
            return;
        }

        FsMetrics.Count(FsMetrics.ResolveCacheMiss);
        if (_resolving.TryGetValue(request.Key, out var running))
        {
            running.Waiters.Add(Sender);
            return;
        }

        Start(request, preResolve: false).Waiters.Add(Sender);
    }

    private void Enqueue(IReadOnlyList<LayerRequest> requests)
    {
        foreach (var request in requests)
        {
            if (_resolving.ContainsKey(request.Key) || _preResolveQueued.Contains(request.Key) || _cache.Contains(request.Key))
            {
                continue;
            }

            if (_preResolveQueue.Count >= PreResolveQueueCapacity)
            {
                FsMetrics.Count(FsMetrics.PreresolveQueueDrop);
                continue;
            }

            _preResolveQueue.AddLast(request);
            _preResolveQueued.Add(request.Key);
        }

        PumpPreResolutions();
    }

    private void PumpPreResolutions()
    {
        while (_preResolving < _maxConcurrency && _preResolveQueue.First is { } next)
        {
            _preResolveQueue.RemoveFirst();
            _preResolveQueued.Remove(next.Value.Key);
            if (!_resolving.ContainsKey(next.Value.Key))
            {
                Start(next.Value, preResolve: true);
            }
        }
    }

    private Resolution Start(LayerRequest request, bool preResolve)
    {
        var resolution = new Resolution(preResolve);
        _resolving[request.Key] = resolution;
        if (preResolve)
        {
            _preResolving++;
        }

        var key = request.Key;
        _factory.CreateAsync(request, _stopping.Token).PipeTo(
            Self,
            success: layer => new ResolutionFinished(key, layer, null),
            failure: error => new ResolutionFinished(key, null, error is AggregateException { InnerException: { } inner } ? inner : error));
        return resolution;
    }

    private void Finish(ResolutionFinished finished)
    {
        var resolution = _resolving[finished.Key];
        _resolving.Remove(finished.Key);
        if (resolution.PreResolve)
        {
            _preResolving--;
        }

        if (finished.Layer is not { } layer)
        {
            _log.Warning("resolving layer {0} failed: {1}", finished.Key, finished.Error!.Message);
            var failed = new LayerResolutionFailed(finished.Key, finished.Error.Message);
            foreach (var waiter in resolution.Waiters)
            {
                waiter.Tell(failed);
            }
        }
        else
        {
            _log.Debug("resolved layer {0} ({1} spans){2}", finished.Key, layer.Spans.SpanCount, resolution.PreResolve ? " ahead of its mount" : "");
            foreach (var evicted in _cache.Add(layer))
            {
                Close(evicted);
            }

            _backgroundFetcher.Tell(new FetchInBackground(layer));
            foreach (var waiter in resolution.Waiters)
            {
                _cache.TryAcquire(layer.Key, out var acquired);
                waiter.Tell(new LayerResolved(acquired));
            }
        }

        PumpPreResolutions();
    }

    private void Release(ReleaseLayer release)
    {
        if (release.Layer.IsDisposed)
        {
            return;
        }

        var closing = _cache.Release(release.Layer);
        if (release.Evict)
        {
            closing ??= _cache.Evict(release.Layer.Key);
        }

        if (closing is not null)
        {
            Close(closing);
        }
    }

    private void Close(RuntimeLayer layer)
    {
        _log.Debug("closing layer {0}", layer.Key);
        _backgroundFetcher.Tell(new StopFetching(layer));
        // Disposal deletes cache files; it must not run on the actor's thread if it ever blocks.
        layer.DisposeAsync().AsTask().ContinueWith(
            task => _log.Warning("closing layer {0} failed: {1}", layer.Key, task.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        foreach (var layer in _cache.Clear())
        {
            Close(layer);
        }

        _stopping.Dispose();
    }

    private sealed record Resolution(bool PreResolve)
    {
        public List<IActorRef> Waiters { get; } = [];
    }

    private sealed record ResolutionFinished(LayerKey Key, RuntimeLayer? Layer, Exception? Error);
}
