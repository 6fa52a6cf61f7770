using System.Security.Cryptography;
using Soci.Actors.Layers.Caching;
using Soci.Formats.Extraction;

namespace Soci.Actors.Layers.Spans;

/// <summary>
/// Serves uncompressed byte ranges of one lazily loaded layer (algorithms §5.3). A read is mapped to spans; spans
/// not in the cache are fetched, adjacent ones with one range request, and each span is fetched once however many
/// readers want it at the same time. Every span's compressed bytes are checked against its digest (re-fetched up
/// to the configured retries) before they are inflated from the span's checkpoint and cached; a span that never
/// verifies fails the read, so wrong bytes are never served.
/// </summary>
public sealed class SpanManager
{
    private const int MaxEvictionRetries = 4;
    private readonly SpanTable _table;
    private readonly IReadOnlyList<string> _digests;
    private readonly ILayerBlob _blob;
    private readonly ISpanCache _cache;
    private readonly SpanManagerOptions _options;
    private readonly Lock _lock = new();
    private readonly SpanState[] _states;
    private readonly Dictionary<int, Task> _inFlight = [];
    private long _fetchedBytes;
    private long _rangeRequests;
    private int _nextBackgroundSpan;

    private SpanManager(string layerId, SpanTable table, IReadOnlyList<string> digests, ILayerBlob blob, ISpanCache cache, SpanManagerOptions options)
    {
        LayerId = layerId;
        _table = table;
        _digests = digests;
        _blob = blob;
        _cache = cache;
        _options = options;
        _states = new SpanState[table.SpanCount];
    }

    /// <summary>Names this layer's entries in the cache.</summary>
    public string LayerId { get; }

    public int SpanCount => _states.Length;

    public long UncompressedSize => _table.UncompressedSize;

    /// <summary>Compressed bytes fetched from the blob so far (including the gzip header and re-fetches).</summary>
    public long FetchedBytes => Interlocked.Read(ref _fetchedBytes);

    /// <summary>Range requests sent to the blob so far.</summary>
    public long RangeRequests => Interlocked.Read(ref _rangeRequests);

    /// <summary>Spans currently verified and cached.</summary>
    public int ResolvedSpanCount
    {
        get
        {
            lock (_lock)
            {
                return _states.Count(state => state == SpanState.Uncompressed);
            }
        }
    }

    public SpanState StateOf(int span)
    {
        lock (_lock)
        {
            return _states[span];
        }
    }

    /// <summary>
    /// A manager for a prepared layer (its span table and digests checked against each other when it was prepared,
    /// see <see cref="PreparedLayer.FromZtoc"/>); reads and validates the layer's gzip header.
    /// </summary>
    /// <exception cref="InvalidDataException">The blob does not start with a gzip header.</exception>
    public static Task<SpanManager> CreateAsync(
        string layerId, PreparedLayer layer, ILayerBlob blob, ISpanCache cache, SpanManagerOptions? options = null, CancellationToken cancellationToken = default) =>
        new SpanManager(layerId, layer.Spans, layer.SpanDigests, blob, cache, options ?? new SpanManagerOptions()).CheckGzipHeaderAsync(cancellationToken);

    private async Task<SpanManager> CheckGzipHeaderAsync(CancellationToken cancellationToken)
    {
        if (_table.IsGzip && _table.SpanCount > 0)
        {
            var header = new byte[_table.StartCompressedOffset(0)];
            await FetchAsync(0, header, cancellationToken).ConfigureAwait(false);
            if (header.Length < 10 || header[0] != 0x1f || header[1] != 0x8b || header[2] != 8)
            {
                throw new InvalidDataException($"layer {LayerId} does not start with a gzip header");
            }
        }
        return this;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the uncompressed layer bytes at <paramref name="offset"/>, which must
    /// lie within the layer's uncompressed size. Blocks until the spans are available (FUSE serving threads call it).
    /// </summary>
    /// <exception cref="SpanVerificationException">A span never matched its digest.</exception>
    public void Read(long offset, Span<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return;
        }
        var end = offset + destination.Length;
        if (offset < 0 || end > _table.UncompressedSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"range [{offset}, {end}) is outside the layer's {_table.UncompressedSize} bytes");
        }
        var first = _table.SpanOf(offset);
        var last = _table.SpanOf(end - 1);
        // Warm reads (every span cached, hence verified) copy straight away, without the resolving machinery.
        if (TryCopy(offset, destination, first, last))
        {
            return;
        }
        for (var attempt = 0; attempt < MaxEvictionRetries; attempt++)
        {
            EnsureResolvedAsync(first, last, cancellationToken).GetAwaiter().GetResult();
            if (TryCopy(offset, destination, first, last))
            {
                return;
            }
        }
        throw new IOException($"spans {first}..{last} of layer {LayerId} were evicted from the cache {MaxEvictionRetries} times while being read");
    }

    /// <summary>Makes the spans <paramref name="first"/>..<paramref name="last"/> verified and cached.</summary>
    public async Task EnsureResolvedAsync(int first, int last, CancellationToken cancellationToken)
    {
        List<Task> waits = [];
        List<(int First, int Last, TaskCompletionSource[] Completions)> runs = [];
        lock (_lock)
        {
            var runStart = -1;
            for (var span = first; span <= last; span++)
            {
                if (_states[span] == SpanState.Uncompressed && _cache.Contains(Key(span)))
                {
                    runStart = CloseRun(runStart, span - 1, runs, waits);
                    continue;
                }
                if (_inFlight.TryGetValue(span, out var pending))
                {
                    waits.Add(pending);
                    runStart = CloseRun(runStart, span - 1, runs, waits);
                    continue;
                }
                if (_states[span] == SpanState.Uncompressed)
                {
                    Transition(span, SpanState.Unrequested); // evicted since it was resolved
                }
                if (runStart >= 0 && _table.EndCompressedOffset(span) - _table.StartCompressedOffset(runStart) > _options.MaxRangeRequestBytes)
                {
                    runStart = CloseRun(runStart, span - 1, runs, waits);
                }
                Transition(span, SpanState.Requested);
                if (runStart < 0)
                {
                    runStart = span;
                }
            }
            CloseRun(runStart, last, runs, waits);
        }
        foreach (var run in runs)
        {
            _ = FetchRunAsync(run.First, run.Last, run.Completions);
        }
        await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Background-fetch hook (algorithms §10): resolves the lowest span that is not cached yet. Returns false once
    /// every span has been visited. Meant for one background caller at a time, which paces and pauses it.
    /// </summary>
    public async Task<bool> FetchNextUnfetchedSpanAsync(CancellationToken cancellationToken)
    {
        var span = Volatile.Read(ref _nextBackgroundSpan);
        if (span >= SpanCount)
        {
            return false;
        }
        await EnsureResolvedAsync(span, span, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _nextBackgroundSpan, span + 1);
        return span + 1 < SpanCount;
    }

    /// <summary>Drops this layer's cached spans.</summary>
    public void Release() => _cache.RemoveLayer(LayerId);

    private int CloseRun(int runStart, int runLast, List<(int, int, TaskCompletionSource[])> runs, List<Task> waits)
    {
        if (runStart < 0)
        {
            return -1;
        }
        var completions = new TaskCompletionSource[runLast - runStart + 1];
        for (var span = runStart; span <= runLast; span++)
        {
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            completions[span - runStart] = completion;
            _inFlight[span] = completion.Task;
            waits.Add(completion.Task);
        }
        runs.Add((runStart, runLast, completions));
        return -1;
    }

    private async Task FetchRunAsync(int first, int last, TaskCompletionSource[] completions)
    {
        var start = _table.StartCompressedOffset(first);
        byte[] run;
        try
        {
            run = new byte[_table.EndCompressedOffset(last) - start];
            await FetchAsync(start, run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            for (var span = first; span <= last; span++)
            {
                Complete(span, completions[span - first], error);
            }
            return;
        }
        for (var span = first; span <= last; span++)
        {
            Exception? failure = null;
            try
            {
                var spanStart = _table.StartCompressedOffset(span);
                var compressed = run.AsMemory((int)(spanStart - start), (int)(_table.EndCompressedOffset(span) - spanStart));
                if (!Matches(span, compressed.Span))
                {
                    compressed = await RefetchUntilVerifiedAsync(span).ConfigureAwait(false);
                }
                _cache.Add(Key(span), Inflate(span, compressed.Span));
            }
            catch (Exception error)
            {
                failure = error;
            }
            Complete(span, completions[span - first], failure);
        }
    }

    private async Task<byte[]> RefetchUntilVerifiedAsync(int span)
    {
        var start = _table.StartCompressedOffset(span);
        var compressed = new byte[_table.EndCompressedOffset(span) - start];
        for (var attempt = 2; attempt <= _options.VerificationAttempts; attempt++)
        {
            await FetchAsync(start, compressed, CancellationToken.None).ConfigureAwait(false);
            if (Matches(span, compressed))
            {
                return compressed;
            }
        }
        throw new SpanVerificationException(
            $"span digests do not match for span {span} of layer {LayerId} after {_options.VerificationAttempts} attempt(s)");
    }

    private async Task FetchAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rangeRequests);
        await _blob.ReadAsync(offset, destination, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _fetchedBytes, destination.Length);
    }

    private bool Matches(int span, ReadOnlySpan<byte> compressed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(compressed, hash);
        return _digests[span] == "sha256:" + System.Convert.ToHexStringLower(hash);
    }

    private byte[] Inflate(int span, ReadOnlySpan<byte> compressed)
    {
        var length = Math.Max(0, _table.EndUncompressedOffset(span) - _table.StartUncompressedOffset(span));
        var output = new byte[length];
        if (length == 0)
        {
            return output;
        }
        var produced = _table.IsGzip
            ? SpanDecompressor.Decompress(compressed, _table.Checkpoint(span), 0, output)
            : CopyStored(compressed, output);
        if (produced != length)
        {
            throw new InvalidDataException($"span {span} of layer {LayerId} inflated to {produced} bytes instead of {length}");
        }
        return output;
    }

    private static int CopyStored(ReadOnlySpan<byte> stored, Span<byte> output)
    {
        var count = Math.Min(stored.Length, output.Length);
        stored[..count].CopyTo(output);
        return count;
    }

    private void Complete(int span, TaskCompletionSource completion, Exception? error)
    {
        lock (_lock)
        {
            _inFlight.Remove(span);
            Transition(span, error is null ? SpanState.Uncompressed : SpanState.Unrequested);
        }
        if (error is null)
        {
            completion.SetResult();
        }
        else
        {
            completion.SetException(error);
        }
    }

    private bool TryCopy(long offset, Span<byte> destination, int first, int last)
    {
        var end = offset + destination.Length;
        for (var span = first; span <= last; span++)
        {
            var spanStart = _table.StartUncompressedOffset(span);
            var from = Math.Max(offset, spanStart);
            var to = Math.Min(end, span == _table.MaxSpanId ? end : _table.EndUncompressedOffset(span));
            if (to <= from)
            {
                continue;
            }
            if (!_cache.TryRead(Key(span), from - spanStart, destination[(int)(from - offset)..(int)(to - offset)]))
            {
                lock (_lock)
                {
                    if (_states[span] == SpanState.Uncompressed)
                    {
                        Transition(span, SpanState.Unrequested);
                    }
                }
                return false;
            }
        }
        return true;
    }

    /// <summary>Applies a state change, rejecting the ones the span life cycle does not allow (caller holds the lock).</summary>
    private void Transition(int span, SpanState to)
    {
        var from = _states[span];
        var allowed = (from, to) switch
        {
            (SpanState.Unrequested, SpanState.Requested) => true,
            (SpanState.Requested, SpanState.Uncompressed or SpanState.Unrequested) => true,
            (SpanState.Uncompressed, SpanState.Unrequested) => true, // evicted from the cache
            _ => false,
        };
        if (!allowed)
        {
            throw new InvalidOperationException($"invalid span state transition {from} -> {to} for span {span}");
        }
        _states[span] = to;
    }

    private SpanKey Key(int span) => new(LayerId, span);
}
