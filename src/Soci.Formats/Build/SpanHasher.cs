using System.Buffers;
using System.Security.Cryptography;

namespace Soci.Formats.Build;

/// <summary>
/// Computes the sha256 of each span's compressed range (formats §4) from the layer's compressed bytes, handed
/// over in order, and the span starts, as the inflater finds them. It runs on the reading side of a build, so
/// hashing overlaps inflating instead of adding to it.
/// </summary>
/// <remarks>
/// A span starts at its checkpoint's compressed offset, or one byte earlier when that byte still holds bits of the
/// span's first block, and ends where the next span starts its own range (the shared byte belongs to both); the
/// last span ends with the layer. Bytes before the first span (the gzip header) belong to none. Pieces are pooled
/// arrays this class returns to <see cref="ArrayPool{T}.Shared"/> once hashed.
/// </remarks>
internal sealed class SpanHasher : IDisposable
{
    private readonly List<string> _digests = [];
    private readonly List<Piece> _pending = [];
    private IncrementalHash? _span;
    private long _hashedUpTo;
    private long _received;

    /// <summary>The next compressed bytes of the layer, in a pooled array this hasher now owns.</summary>
    public void Append(byte[] pooled, int count)
    {
        _pending.Add(new Piece(pooled, _received, count));
        _received += count;
        ReleaseHashedPieces();
    }

    /// <summary>A span starts at compressed offset <paramref name="offset"/> (or the byte before it).</summary>
    public void StartSpan(long offset, bool withPreviousByte)
    {
        FinishSpan(offset);
        _span = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _hashedUpTo = withPreviousByte ? offset - 1 : offset;
        ReleaseHashedPieces();
    }

    /// <summary>Ends the last span at <paramref name="end"/> and returns every span's digest.</summary>
    public IReadOnlyList<string> Finish(long end)
    {
        FinishSpan(end);
        ReleaseHashedPieces();
        return _digests;
    }

    private void FinishSpan(long end)
    {
        if (_span is null)
        {
            return;
        }
        foreach (var piece in _pending)
        {
            var from = Math.Max(_hashedUpTo, piece.Start);
            var to = Math.Min(end, piece.Start + piece.Count);
            if (from < to)
            {
                _span.AppendData(piece.Bytes, (int)(from - piece.Start), (int)(to - from));
            }
        }
        if (_received < end)
        {
            throw new InvalidOperationException($"span ends at compressed offset {end}, only {_received} bytes were handed over");
        }
        _digests.Add("sha256:" + Convert.ToHexStringLower(_span.GetHashAndReset()));
        _span.Dispose();
        _span = null;
        _hashedUpTo = end;
    }

    /// <summary>Pieces wholly before the hashed position are done with, except the one holding the byte a next span may start with.</summary>
    private void ReleaseHashedPieces()
    {
        var keepFrom = _span is null ? _hashedUpTo - 1 : _hashedUpTo;
        var released = 0;
        while (released < _pending.Count && _pending[released].Start + _pending[released].Count <= keepFrom)
        {
            ArrayPool<byte>.Shared.Return(_pending[released].Bytes);
            released++;
        }
        _pending.RemoveRange(0, released);
    }

    public void Dispose()
    {
        foreach (var piece in _pending)
        {
            ArrayPool<byte>.Shared.Return(piece.Bytes);
        }
        _pending.Clear();
        _span?.Dispose();
        _span = null;
    }

    private readonly record struct Piece(byte[] Bytes, long Start, int Count);
}
