namespace Soci.TestEnvironment.Faults;

/// <summary>What the fault proxy does to a request instead of (or while) forwarding it.</summary>
public enum FaultKind
{
    /// <summary>Close the connection without answering.</summary>
    ResetConnection,

    /// <summary>Answer 500 Internal Server Error.</summary>
    InternalServerError,

    /// <summary>Answer 503 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>Answer 429 Too Many Requests with a Retry-After of <see cref="Fault.Delay"/>.</summary>
    TooManyRequests,

    /// <summary>Wait <see cref="Fault.Delay"/> before forwarding.</summary>
    Slow,

    /// <summary>Forward, announce the full length, send half the body, then close the connection.</summary>
    TruncateBody,

    /// <summary>Forward with the same length but one flipped byte in the body.</summary>
    CorruptBody,
}

/// <summary>One fault, applied to the next <paramref name="Times"/> requests whose path contains <paramref name="PathContains"/>.</summary>
public sealed record Fault(FaultKind Kind, int Times = 1, string PathContains = "/", TimeSpan Delay = default)
{
    /// <summary>Applied to every matching request from now on.</summary>
    public static Fault Persistent(FaultKind kind, string pathContains = "/", TimeSpan delay = default) =>
        new(kind, int.MaxValue, pathContains, delay);
}
