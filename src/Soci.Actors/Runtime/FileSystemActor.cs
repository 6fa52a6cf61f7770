using System.Text;
using Akka.Actor;
using Akka.Event;
using Soci.Actors.Registry;
using Soci.Actors.Runtime.Background;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Mounts;
using Soci.Actors.Snapshotter.Mounts;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Runtime;

/// <summary>
/// The root of the lazy-loading runtime (upstream <c>fs.FileSystem</c> as actors): it owns one
/// <see cref="SociContextActor"/> per image, one <see cref="MountActor"/> per mount point, the
/// <see cref="LayerResolverActor"/> and the <see cref="BackgroundFetcherActor"/>, routes Mount, Check and Unmount
/// to the right mount, and remembers mounts that failed for good so Check reports them to the snapshotter.
/// </summary>
public sealed class FileSystemActor : ReceiveActor
{
    private readonly ISociArtifactFetcher _fetcher;
    private readonly RuntimeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _contexts = [];
    private readonly Dictionary<string, IActorRef> _mounts = [];
    private readonly Dictionary<string, string> _failed = [];
    private readonly HashSet<string> _mountedImages = [];
    private readonly IActorRef _background;
    private readonly MountDependencies _dependencies;
    private long _mountCounter;

    public FileSystemActor(ISociArtifactFetcher fetcher, ILayerFactory layers, RuntimeSettings settings)
    {
        _fetcher = fetcher;
        _settings = settings;
        _background = settings.BackgroundFetch.Disable
            ? ActorRefs.Nobody
            : Context.ActorOf(BackgroundFetcherActor.Props(settings.BackgroundFetch), "background-fetcher");
        var resolver = Context.ActorOf(
            LayerResolverActor.Props(layers, new LruLayerCache(settings.ResolveResultEntries), _background, settings.MaxConcurrency), "layer-resolver");
        _dependencies = new MountDependencies(Self, resolver, settings);

        Receive<MountLayer>(Mount);
        Receive<CheckMount>(Check);
        Receive<UnmountLayer>(Unmount);
        Receive<GetSociContext>(request => ContextFor(request.ContextKey).Forward(request));
        Receive<MountPointFreed>(freed => Forget(freed.MountPoint, Sender));
        Receive<ImageMounted>(mounted => SilenceBackgroundFetchOnce(mounted.ContextKey));
        Receive<Terminated>(terminated => OnMountStopped(terminated.ActorRef));
        Receive<GetLayerCacheStatus>(request => resolver.Forward(request));
        Receive<GetBackgroundFetchStatus>(request => _background.Forward(request));
    }

    public static Props Props(ISociArtifactFetcher fetcher, ILayerFactory layers, RuntimeSettings settings) =>
        Akka.Actor.Props.Create(() => new FileSystemActor(fetcher, layers, settings));

    protected override SupervisorStrategy SupervisorStrategy() => new RuntimeSupervisorStrategy(_log);

    private void Mount(MountLayer request)
    {
        if (_mounts.ContainsKey(request.MountPoint))
        {
            Sender.Tell(new MountFailed(request.MountPoint, RemoteMountFailure.Failed, $"{request.MountPoint} is already mounted"));
            return;
        }

        ImageSource image;
        try
        {
            image = ImageSource.FromLabels(request.Labels);
        }
        catch (RemoteMountException error)
        {
            Sender.Tell(new MountFailed(request.MountPoint, error.Failure, error.Message));
            return;
        }

        _failed.Remove(request.MountPoint);
        var mount = Context.ActorOf(MountActor.Props(request.MountPoint, image, Sender, _dependencies), $"{RuntimeSupervisorStrategy.MountNamePrefix}{++_mountCounter}");
        Context.Watch(mount);
        _mounts[request.MountPoint] = mount;
    }

    private void Check(CheckMount request)
    {
        if (_failed.TryGetValue(request.MountPoint, out var reason))
        {
            Sender.Tell(new CheckFailed(request.MountPoint, reason));
        }
        else if (_mounts.TryGetValue(request.MountPoint, out var mount))
        {
            mount.Forward(request);
        }
        else
        {
            Sender.Tell(new CheckFailed(request.MountPoint, $"layer at {request.MountPoint} not registered"));
        }
    }

    private void Unmount(UnmountLayer request)
    {
        _failed.Remove(request.MountPoint);
        if (_mounts.Remove(request.MountPoint, out var mount))
        {
            mount.Forward(request);
            return;
        }

        // Not ours (e.g. left by a previous daemon): take it down if it is mounted at all.
        if (MountInfo.IsMountPoint(request.MountPoint))
        {
            LinuxNative.Unmount(request.MountPoint, LinuxNative.MntForce | LinuxNative.MntDetach);
            Sender.Tell(new Unmounted(request.MountPoint));
            return;
        }

        Sender.Tell(new UnmountFailed(request.MountPoint, $"specified path \"{request.MountPoint}\" isn't a mountpoint"));
    }

    private IActorRef ContextFor(string key)
    {
        if (!_contexts.TryGetValue(key, out var context))
        {
            var name = "soci-context-" + ContentDigest.Hex(ContentDigest.Of(Encoding.UTF8.GetBytes(key)))[..16];
            context = Context.ActorOf(SociContextActor.Props(_fetcher), name);
            _contexts[key] = context;
        }

        return context;
    }

    /// <summary>
    /// The first live mount of an image silences the background fetcher (algorithms §10): the image is starting
    /// and its reads need the bandwidth. Later mounts of the same image do not extend the silence.
    /// </summary>
    private void SilenceBackgroundFetchOnce(string contextKey)
    {
        if (_mountedImages.Add(contextKey))
        {
            _background.Tell(PauseBackgroundFetch.Instance);
        }
    }

    private void Forget(string mountPoint, IActorRef mount)
    {
        if (_mounts.TryGetValue(mountPoint, out var current) && current.Equals(mount))
        {
            _mounts.Remove(mountPoint);
        }
    }

    private void OnMountStopped(IActorRef mount)
    {
        foreach (var (mountPoint, actor) in _mounts)
        {
            if (actor.Equals(mount))
            {
                // Still registered: it stopped without being unmounted or failing to mount, i.e. it crashed.
                _mounts.Remove(mountPoint);
                _failed[mountPoint] = $"the mount at {mountPoint} stopped unexpectedly and was unmounted";
                _log.Error("{0}", _failed[mountPoint]);
                return;
            }
        }
    }
}

/// <summary>A mount actor tells its parent the mount point is free again (its mount failed or was abandoned).</summary>
public sealed record MountPointFreed(string MountPoint) : ISociMessage;

/// <summary>A mount actor tells its parent that a layer of the image with this SOCI context key is now mounted.</summary>
public sealed record ImageMounted(string ContextKey) : ISociMessage;
