namespace Soci.Actors.Layers.Caching;

/// <summary>Identifies the uncompressed bytes of one span of one resolved layer.</summary>
public readonly record struct SpanKey(string LayerId, int Span);

/// <summary>
/// Holds uncompressed, verified span data. Implementations are thread-safe and may evict entries at any time; a
/// miss only means the span has to be fetched again. Keyed by layer id so one cache can serve many layers (and a
/// sharded implementation can route by it).
/// </summary>
public interface ISpanCache
{
    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/> of the span; false on a miss.</summary>
    bool TryRead(SpanKey key, long offset, Span<byte> destination);

    bool Contains(SpanKey key);

    /// <summary>
    /// Caches a span's bytes. The cache takes the array over (a memory cache keeps it as it is, no copy), so the
    /// caller must not change it afterwards.
    /// </summary>
    void Add(SpanKey key, byte[] data);

    /// <summary>Drops everything cached for the layer (called when the layer is released).</summary>
    void RemoveLayer(string layerId);

    /// <summary>Bytes currently held.</summary>
    long Size { get; }
}
