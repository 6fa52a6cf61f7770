using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Metrics;
using Soci.Actors.Snapshotter.Remote;
using Soci.Fuse;
using Soci.Fuse.Protocol;

namespace Soci.Actors.Runtime.Mounts;

/// <summary>
/// One mount point (snapshotter.md §6.1, §8): gets the image's SOCI context, has the layer resolved (and the
/// image's other indexed layers pre-resolved), mounts the layer's FUSE filesystem and answers the requester
/// with success or failure — failing with a timeout when the layer does not resolve within the mount timeout,
/// counted from when the context is ready. Once mounted it owns the FUSE session: it supervises the serving
/// loop (<see cref="ServingLoopSupervisor"/>), answers Check and unmounts on Unmount or when stopped. Reads never
/// pass through it: the kernel's requests go straight from the session's threads to the layer.
/// </summary>
public sealed class MountActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private const string TimeoutTimer = "mount-timeout";
    private const string SuperviseTimer = "supervise";

    private readonly string _mountPoint;
    private readonly ImageSource _image;
    private readonly IActorRef _requester;
    private readonly MountDependencies _dependencies;
    private readonly ServingLoopSupervisor _supervisor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _started = Stopwatch.GetTimestamp();
    private RuntimeLayer? _layer;
    private FuseSession? _session;
    private string? _failure;

    public MountActor(string mountPoint, ImageSource image, IActorRef requester, MountDependencies dependencies)
    {
        _mountPoint = mountPoint;
        _image = image;
        _requester = requester;
        _dependencies = dependencies;
        _supervisor = new ServingLoopSupervisor(dependencies.Settings.Supervision);
        AwaitingContext();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(string mountPoint, ImageSource image, IActorRef requester, MountDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new MountActor(mountPoint, image, requester, dependencies));

    protected override void PreStart() => _dependencies.Contexts.Tell(new GetSociContext(_image));

    private void AwaitingContext()
    {
        Receive<SociContextReady>(ready =>
        {
            var context = ready.Context;
            if (context.ZtocFor(_image.LayerDigest) is not { } ztoc)
            {
                Fail(RemoteMountFailure.NoZtocForLayer, $"skipping mounting layer {_image.LayerDigest} as FUSE mount: no ztoc for layer");
                return;
            }

            _dependencies.Resolver.Tell(new ResolveLayer(LayerRequest.For(context, ztoc, _image.LayerSize)));
            var others = context.Ztocs.Values.Where(other => other.LayerDigest != _image.LayerDigest)
                .Select(other => LayerRequest.For(context, other, 0)).ToList();
            if (others.Count > 0)
            {
                _dependencies.Resolver.Tell(new PreResolveLayers(others));
            }

            Timers.StartSingleTimer(TimeoutTimer, MountTimedOut.Instance, _dependencies.Settings.MountTimeout);
            Become(Resolving);
        });
        Receive<SociContextFailed>(failed => Fail(RemoteMountFailure.NoValidSociIndex, failed.Reason));
        ReceiveCheckBeforeMounted();
        Receive<UnmountLayer>(_ =>
        {
            AnswerUnmountBeforeMounted();
            Context.Stop(Self);
        });
    }

    private void Resolving()
    {
        Receive<LayerResolved>(resolved =>
        {
            Timers.Cancel(TimeoutTimer);
            _layer = resolved.Layer;
            StartFuse(resolved.Layer);
            Become(StartingFuse);
        });
        Receive<LayerResolutionFailed>(failed => Fail(RemoteMountFailure.Failed, $"failed to resolve layer {failed.Key.LayerDigest}: {failed.Reason}"));
        Receive<MountTimedOut>(_ =>
        {
            // The resolution keeps going and lands in the layer cache; this actor stays only to hand back the
            // reference the resolver will send it.
            Reply(new MountFailed(_mountPoint, RemoteMountFailure.Failed, $"timeout waiting for layer {_image.LayerDigest} to resolve"));
            Context.Parent.Tell(new MountPointFreed(_mountPoint));
            Become(Abandoned);
        });
        ReceiveCheckBeforeMounted();
        Receive<UnmountLayer>(_ =>
        {
            AnswerUnmountBeforeMounted();
            Become(Abandoned);
        });
    }

    private void Abandoned()
    {
        Receive<LayerResolved>(resolved =>
        {
            _dependencies.Resolver.Tell(new ReleaseLayer(resolved.Layer, Evict: false));
            Context.Stop(Self);
        });
        Receive<LayerResolutionFailed>(_ => Context.Stop(Self));
        ReceiveCheckBeforeMounted();
        Receive<UnmountLayer>(_ => Sender.Tell(new Unmounted(_mountPoint)));
    }

    private void StartingFuse()
    {
        Receive<FuseStarted>(started =>
        {
            _session = started.Session;
            var elapsed = Stopwatch.GetElapsedTime(_started);
            FsMetrics.ObserveOperation(FsMetrics.Mount, _image.LayerDigest, elapsed);
            FsMetrics.ObserveOperation(FsMetrics.FuseMount, _image.LayerDigest, started.Elapsed);
            _log.Info("mounted layer {0} at {1} in {2:F0} ms", _image.LayerDigest, _mountPoint, elapsed.TotalMilliseconds);
            Reply(new MountSucceeded(_mountPoint));
            _dependencies.Contexts.Tell(new ImageMounted(new GetSociContext(_image).ContextKey));
            Timers.StartPeriodicTimer(SuperviseTimer, Supervise.Instance, _dependencies.Settings.Supervision.CheckInterval);
            Become(Mounted);
            Stash.UnstashAll();
        });
        Receive<FuseStartFailed>(failed =>
        {
            FsMetrics.Count(FsMetrics.FuseMountFailureCount, _image.LayerDigest);
            Fail(RemoteMountFailure.Failed, $"mounting FUSE at {_mountPoint} failed: {failed.Reason}");
            foreach (var unmount in Stash.ClearStash())
            {
                unmount.Sender.Tell(new Unmounted(_mountPoint));
            }
        });
        ReceiveCheckBeforeMounted();
        // The session is being created: an unmount waits for it, so the mount it makes is never left behind.
        Receive<UnmountLayer>(_ => Stash.Stash());
    }

    private void Mounted()
    {
        Receive<Supervise>(_ => SuperviseSession());
        Receive<CheckMount>(_ => Check());
        Receive<UnmountLayer>(_ =>
        {
            Unmount(evict: true);
            Sender.Tell(new Unmounted(_mountPoint));
            Context.Stop(Self);
        });
    }

    private void ReceiveCheckBeforeMounted() =>
        Receive<CheckMount>(_ => Sender.Tell(new CheckFailed(_mountPoint, $"layer at {_mountPoint} is not mounted yet")));

    private void AnswerUnmountBeforeMounted()
    {
        Reply(new MountFailed(_mountPoint, RemoteMountFailure.Failed, "unmounted before the mount finished"));
        Sender.Tell(new Unmounted(_mountPoint));
    }

    private void StartFuse(RuntimeLayer layer)
    {
        var settings = _dependencies.Settings;
        var options = new FuseMountOptions
        {
            FsName = "soci",
            Subtype = "rawBridge",
            AllowOther = true,
            DefaultPermissions = false,
            AttributeTimeout = settings.AttributeTimeout,
            EntryTimeout = settings.EntryTimeout,
            NegativeTimeout = settings.NegativeTimeout,
            ServingThreads = settings.FuseServingThreads,
        };
        var mountPoint = _mountPoint;
        // mount(2) and the INIT exchange block; they run off the actor's thread.
        Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            var session = FuseSession.Start(mountPoint, layer.FileSystem, options);
            return new FuseStarted(session, Stopwatch.GetElapsedTime(started));
        }).PipeTo(Self, failure: error => new FuseStartFailed(error.GetBaseException().Message));
    }

    private void SuperviseSession()
    {
        var session = _session!;
        PublishProgress(session);
        if (_failure is not null)
        {
            return;
        }

        switch (_supervisor.Inspect(session))
        {
            case SupervisionVerdict.Restarted restarted:
                _log.Warning("FUSE serving loop of {0} restarted ({1}/{2} in window): {3}; {4} request(s) answered EIO",
                    _mountPoint, restarted.RestartsInWindow, _dependencies.Settings.Supervision.MaxRestarts, restarted.OldestRequest, restarted.AbandonedRequests);
                Context.System.EventStream.Publish(new ServingLoopRestarted(_mountPoint, restarted.AbandonedRequests, restarted.OldestRequest));
                break;
            case SupervisionVerdict.Failed failed:
                _failure = failed.Reason;
                _log.Error("mount {0} failed permanently: {1}", _mountPoint, failed.Reason);
                FsMetrics.Count(FsMetrics.FuseFailureState);
                AbortConnection(session);
                Context.System.EventStream.Publish(new MountPermanentlyFailed(_mountPoint, failed.Reason));
                break;
        }
    }

    /// <summary>
    /// A mount that will not be served again must not keep its callers waiting: aborting the connection answers
    /// every pending and later request (ENOTCONN) while the mount point stays until the snapshotter unmounts it.
    /// </summary>
    private void AbortConnection(FuseSession session)
    {
        if (session.StoppedWith is not null)
        {
            return;
        }

        try
        {
            session.Mount.Abort();
        }
        catch (Exception error) when (error is FuseException or IOException or UnauthorizedAccessException)
        {
            _log.Warning("aborting the FUSE connection of {0} failed: {1}", _mountPoint, error.Message);
        }
    }

    private void PublishProgress(FuseSession session)
    {
        var layer = _layer!;
        FsMetrics.SetLayerProgress(layer.Key.LayerDigest, _mountPoint, Math.Min(layer.Spans.FetchedBytes, layer.BlobSize), layer.BlobSize);
        foreach (var (opcode, sample) in session.Statistics.Snapshot())
        {
            if (FailureCounterOf(opcode) is { } counter && sample.Errors > 0)
            {
                FsMetrics.CountTo(counter, layer.Key.LayerDigest, sample.Errors);
            }
        }
    }

    private static string? FailureCounterOf(FuseOpcode opcode) => opcode switch
    {
        FuseOpcode.GetAttr => "fuse_node_getattr_failure_count",
        FuseOpcode.ListXattr => "fuse_node_listxattr_failure_count",
        FuseOpcode.Lookup => "fuse_node_lookup_failure_count",
        FuseOpcode.Open => "fuse_node_open_failure_count",
        FuseOpcode.ReadDir or FuseOpcode.ReadDirPlus => "fuse_node_readdir_failure_count",
        FuseOpcode.Read => "fuse_file_read_failure_count",
        _ => null,
    };

    private void Check()
    {
        if (_failure is not null)
        {
            Sender.Tell(new CheckFailed(_mountPoint, $"mount {_mountPoint} failed permanently: {_failure}"));
            return;
        }

        var layer = _layer!;
        if (layer.IsFullyFetched)
        {
            Sender.Tell(new CheckSucceeded(_mountPoint));
            return;
        }

        var mountPoint = _mountPoint;
        layer.CheckAsync(CancellationToken.None).PipeTo(
            Sender,
            success: () => new CheckSucceeded(mountPoint),
            failure: error => new CheckFailed(mountPoint, $"layer at {mountPoint} cannot reach its blob: {error.GetBaseException().Message}"));
    }

    private void Fail(RemoteMountFailure failure, string reason)
    {
        _log.Info("mount of layer {0} at {1} failed: {2}", _image.LayerDigest, _mountPoint, reason);
        Reply(new MountFailed(_mountPoint, failure, reason));
        Context.Parent.Tell(new MountPointFreed(_mountPoint));
        Context.Stop(Self);
    }

    private void Reply(object message) => _requester.Tell(message);

    /// <summary>Takes the mount down (MNT_FORCE aborts a hung connection) and hands back the layer reference.</summary>
    private void Unmount(bool evict)
    {
        if (_session is { } session)
        {
            _session = null;
            try
            {
                session.Unmount(FuseUnmountMode.Force);
            }
            catch (FuseException error)
            {
                _log.Warning("force unmount of {0} failed ({1}); detaching it", _mountPoint, error.Message);
                session.Unmount(FuseUnmountMode.Detach);
            }
            finally
            {
                session.Dispose();
            }
        }

        if (_layer is { } layer)
        {
            _layer = null;
            FsMetrics.RemoveLayer(layer.Key.LayerDigest, _mountPoint);
            _dependencies.Resolver.Tell(new ReleaseLayer(layer, evict));
        }
    }

    protected override void PostStop() => Unmount(evict: false);

    private sealed record FuseStarted(FuseSession Session, TimeSpan Elapsed);

    private sealed record FuseStartFailed(string Reason);

    private sealed record MountTimedOut
    {
        public static MountTimedOut Instance { get; } = new();
    }

    private sealed record Supervise
    {
        public static Supervise Instance { get; } = new();
    }
}
