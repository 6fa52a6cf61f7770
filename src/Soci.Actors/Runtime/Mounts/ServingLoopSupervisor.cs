using System.Diagnostics;
using Soci.Fuse;

namespace Soci.Actors.Runtime.Mounts;

/// <summary>What one look at a FUSE session found.</summary>
public abstract record SupervisionVerdict
{
    public sealed record Healthy : SupervisionVerdict
    {
        public static Healthy Instance { get; } = new();
    }

    /// <summary>A hung request was answered with EIO and the serving loop restarted over the same device.</summary>
    public sealed record Restarted(int AbandonedRequests, string OldestRequest, int RestartsInWindow) : SupervisionVerdict;

    /// <summary>The session cannot serve any more (too many restarts, or its serving ended on its own).</summary>
    public sealed record Failed(string Reason) : SupervisionVerdict;
}

/// <summary>
/// The supervisor of one mount's FUSE serving loop: it looks at the session's in-flight requests, and when one
/// has been running longer than <see cref="SupervisionSettings.HungRequestAfter"/> it restarts serving over the
/// same /dev/fuse descriptor (the mount and any overlay above it stay). Restarts are bounded: more than
/// <see cref="SupervisionSettings.MaxRestarts"/> within <see cref="SupervisionSettings.RestartWindow"/> and the
/// mount is declared failed instead of being restarted forever.
/// </summary>
public sealed class ServingLoopSupervisor(SupervisionSettings settings)
{
    private readonly Queue<long> _restarts = new();

    public SupervisionVerdict Inspect(FuseSession session)
    {
        if (session.StoppedWith is { } errno)
        {
            return new SupervisionVerdict.Failed($"FUSE serving ended with errno {errno}");
        }

        var inFlight = session.InFlight();
        if (inFlight.Count == 0 || inFlight[0].Age < settings.HungRequestAfter)
        {
            return SupervisionVerdict.Healthy.Instance;
        }

        var oldest = inFlight[0];
        var now = Stopwatch.GetTimestamp();
        var windowStart = now - (long)(settings.RestartWindow.TotalSeconds * Stopwatch.Frequency);
        while (_restarts.TryPeek(out var restart) && restart < windowStart)
        {
            _restarts.Dequeue();
        }

        var description = $"{oldest.Opcode} of node {oldest.NodeId} running for {oldest.Age.TotalSeconds:F1}s";
        if (_restarts.Count >= settings.MaxRestarts)
        {
            return new SupervisionVerdict.Failed(
                $"{description}: serving was already restarted {_restarts.Count} times within {settings.RestartWindow}");
        }

        _restarts.Enqueue(now);
        var abandoned = session.RestartServing(settings.HungRequestAfter);
        return new SupervisionVerdict.Restarted(abandoned, description, _restarts.Count);
    }
}
