namespace Soci.Actors.Registry.Transport;

/// <summary>
/// Retry and timeout settings (snapshotter §9.5): attempts = 1 + <see cref="MaxRetries"/>; exponential backoff
/// from <see cref="MinDelay"/> capped at <see cref="MaxDelay"/> with jitter, or the server's Retry-After.
/// </summary>
public sealed record RetryOptions
{
    public int MaxRetries { get; init; } = 8;

    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(30);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Bound on one attempt, from sending the request to the last byte of the body.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Bound on the whole operation including every retry and wait.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A Retry-After longer than this is not waited for; the operation fails instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);
}
