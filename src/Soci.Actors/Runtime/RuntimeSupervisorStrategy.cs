using Akka.Actor;
using Akka.Event;

namespace Soci.Actors.Runtime;

/// <summary>
/// How the file system actor treats a failing child. A mount actor is stopped, never restarted: a restart would
/// lose the FUSE session it owns (a hung serving loop is restarted by the mount's own supervisor instead); its
/// stop unmounts, and the parent reports the mount point as failed on Check. The resolver, the background
/// fetcher and the SOCI contexts resume with their state, because restarting them would drop cached layers
/// that mounts still serve from.
/// </summary>
public sealed class RuntimeSupervisorStrategy(ILoggingAdapter log) : OneForOneStrategy(_ => Directive.Resume)
{
    public const string MountNamePrefix = "mount-";

    protected override Directive Handle(IActorRef child, Exception exception)
    {
        var isMount = child.Path.Name.StartsWith(MountNamePrefix, StringComparison.Ordinal);
        log.Error(exception, "{0} failed ({1}): {2}", child.Path.Name, isMount ? "stopping it" : "resuming it", exception.Message);
        return isMount ? Directive.Stop : Directive.Resume;
    }
}
