using System.Diagnostics;
using Soci.Fuse.Protocol;

namespace Soci.Fuse.Serving;

/// <summary>Per-opcode request counts, error counts and latencies, updated lock-free by the serving threads.</summary>
public sealed class OperationStatistics
{
    private const int Slots = 64;
    private readonly long[] _counts = new long[Slots];
    private readonly long[] _errors = new long[Slots];
    private readonly long[] _ticks = new long[Slots];
    private readonly long[] _maxTicks = new long[Slots];

    internal void Record(FuseOpcode opcode, long elapsedTicks, bool failed)
    {
        var i = (int)opcode;
        if ((uint)i >= Slots)
        {
            i = 0;
        }
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _ticks[i], elapsedTicks);
        if (failed)
        {
            Interlocked.Increment(ref _errors[i]);
        }
        var max = Volatile.Read(ref _maxTicks[i]);
        while (elapsedTicks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks[i], elapsedTicks, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>The operations seen so far (opcodes the library does not know are folded into opcode 0).</summary>
    public IReadOnlyDictionary<FuseOpcode, OperationSample> Snapshot()
    {
        var result = new Dictionary<FuseOpcode, OperationSample>();
        for (var i = 0; i < Slots; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            if (count > 0)
            {
                result[(FuseOpcode)i] = new OperationSample(count, Volatile.Read(ref _errors[i]),
                    Stopwatch.GetElapsedTime(0, Volatile.Read(ref _ticks[i])),
                    Stopwatch.GetElapsedTime(0, Volatile.Read(ref _maxTicks[i])));
            }
        }
        return result;
    }

    public long CountOf(FuseOpcode opcode) => (uint)opcode < Slots ? Volatile.Read(ref _counts[(int)opcode]) : 0;
}

/// <summary>Counts and latencies of one operation.</summary>
public readonly record struct OperationSample(long Count, long Errors, TimeSpan TotalLatency, TimeSpan MaxLatency)
{
    public TimeSpan MeanLatency => Count == 0 ? TimeSpan.Zero : TotalLatency / Count;
}
