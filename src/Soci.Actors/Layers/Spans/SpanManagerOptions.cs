namespace Soci.Actors.Layers.Spans;

/// <summary>How a span manager fetches and verifies.</summary>
public sealed record SpanManagerOptions
{
    /// <summary>Extra fetches of a span whose digest does not match (<c>max_span_verification_retries</c>); negative means 3.</summary>
    public int MaxSpanVerificationRetries { get; init; }

    /// <summary>Adjacent missing spans are fetched with one range request of at most this many bytes.</summary>
    public long MaxRangeRequestBytes { get; init; } = 32 << 20;

    internal int VerificationAttempts => (MaxSpanVerificationRetries < 0 ? 3 : MaxSpanVerificationRetries) + 1;
}
