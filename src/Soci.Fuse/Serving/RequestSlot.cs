using System.Diagnostics;
using Soci.Fuse.Protocol;

namespace Soci.Fuse.Serving;

/// <summary>
/// The request one serving thread is working on. Exactly one party may reply to it: the thread when the
/// handler returns, or a supervisor that gives up on a stuck handler. <see cref="TryClaimReply"/> decides.
/// </summary>
internal sealed class RequestSlot
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Claimed = 2;

    private readonly object _gate = new();
    private CancellationTokenSource _interrupt = new();
    private int _state;

    public ulong Unique { get; private set; }
    public FuseOpcode Opcode { get; private set; }
    public ulong NodeId { get; private set; }
    public long StartTimestamp { get; private set; }

    /// <summary>Marks the start of a request and returns the token its INTERRUPT will cancel.</summary>
    public CancellationToken Begin(in InHeader header)
    {
        lock (_gate)
        {
            if (_interrupt.IsCancellationRequested)
            {
                _interrupt.Dispose();
                _interrupt = new CancellationTokenSource();
            }
            Unique = header.Unique;
            Opcode = header.Opcode;
            NodeId = header.NodeId;
            StartTimestamp = Stopwatch.GetTimestamp();
            Volatile.Write(ref _state, Busy);
            return _interrupt.Token;
        }
    }

    /// <summary>True for whoever may send the reply to the current request; false if someone else did.</summary>
    public bool TryClaimReply() => Interlocked.CompareExchange(ref _state, Claimed, Busy) == Busy;

    public void End() => Volatile.Write(ref _state, Idle);

    public bool IsBusy => Volatile.Read(ref _state) == Busy;

    /// <summary>Cancels the current request if it is <paramref name="unique"/>; false if it is not being served here.</summary>
    public bool Interrupt(ulong unique)
    {
        lock (_gate)
        {
            if (!IsBusy || Unique != unique)
            {
                return false;
            }
            _interrupt.Cancel();
            return true;
        }
    }

    /// <summary>Takes over the reply of the current request if it has run for at least <paramref name="stuckAfter"/>.</summary>
    public bool TryAbandon(TimeSpan stuckAfter, long now, out ulong unique)
    {
        lock (_gate)
        {
            unique = Unique;
            return IsBusy && Stopwatch.GetElapsedTime(StartTimestamp, now) >= stuckAfter && TryClaimReply();
        }
    }

    public InFlightRequest? Describe(long now)
    {
        lock (_gate)
        {
            return IsBusy ? new InFlightRequest(Unique, Opcode, NodeId, Stopwatch.GetElapsedTime(StartTimestamp, now)) : null;
        }
    }
}

/// <summary>A request a serving thread is handling right now, and for how long.</summary>
public sealed record InFlightRequest(ulong Unique, FuseOpcode Opcode, ulong NodeId, TimeSpan Age);
