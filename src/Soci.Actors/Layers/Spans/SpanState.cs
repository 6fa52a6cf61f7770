namespace Soci.Actors.Layers.Spans;

/// <summary>Where a span is in its life (algorithms §5.3; this port always caches spans uncompressed).</summary>
public enum SpanState
{
    /// <summary>Not fetched, or fetched and then evicted or failed: the next read fetches it.</summary>
    Unrequested,

    /// <summary>A fetch is in flight; other readers wait for it instead of fetching again.</summary>
    Requested,

    /// <summary>Fetched, digest-verified, inflated and in the cache.</summary>
    Uncompressed,
}
