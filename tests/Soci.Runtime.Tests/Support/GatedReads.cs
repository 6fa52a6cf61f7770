using Soci.Actors.Layers.Spans;
using Soci.Formats.Compression;

namespace Soci.Runtime.Tests.Support;

/// <summary>
/// Makes layer blob reads that touch chosen compressed ranges wait until <see cref="Open"/> (a stalled registry):
/// a header range stalls a layer's resolution, a span range stalls the FUSE reads of the file it holds. Reads
/// elsewhere go through at once. Every blocked read is counted, so a test can wait for one to be stuck.
/// </summary>
public sealed class GatedReads
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Start, long End)> _ranges = [];
    private int _blocked;

    public int Blocked => Volatile.Read(ref _blocked);

    /// <summary>The first bytes of the blob: resolving a layer reads its gzip header there.</summary>
    public GatedReads Header()
    {
        _ranges.Add((0, 1));
        return this;
    }

    /// <summary>The compressed span holding the middle of <paramref name="file"/> in <paramref name="layer"/>.</summary>
    public GatedReads MiddleOf(TestLayer layer, string file)
    {
        var zinfo = Zinfo.FromZtoc(layer.Ztoc);
        var entry = layer.Ztoc.Files.Single(candidate => candidate.Name.ToString() == file);
        var span = zinfo.SpanOf(entry.UncompressedOffset + entry.UncompressedSize / 2);
        if (zinfo.StartUncompressedOffset(span) < entry.UncompressedOffset
            || zinfo.EndUncompressedOffset(span) > entry.UncompressedOffset + entry.UncompressedSize)
        {
            throw new InvalidOperationException($"span {span} of {zinfo.SpanCount} holds more than {file}: the layer's spans are too coarse");
        }

        _ranges.Add((zinfo.StartCompressedOffset(span), zinfo.EndCompressedOffset(span)));
        return this;
    }

    public ILayerBlob Wrap(ILayerBlob blob) => new GatedBlob(blob, this);

    public void Open() => _gate.TrySetResult();

    private sealed class GatedBlob(ILayerBlob inner, GatedReads owner) : ILayerBlob
    {
        public long Size => inner.Size;

        public async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var end = offset + destination.Length;
            if (owner._ranges.Any(range => offset < range.End && range.Start < end))
            {
                Interlocked.Increment(ref owner._blocked);
                await owner._gate.Task.WaitAsync(cancellationToken);
            }

            await inner.ReadAsync(offset, destination, cancellationToken);
        }
    }
}
