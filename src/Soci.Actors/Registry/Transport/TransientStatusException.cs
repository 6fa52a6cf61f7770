using System.Net;

namespace Soci.Actors.Registry.Transport;

/// <summary>The registry answered with a status worth retrying (429, 5xx except 501), with its Retry-After if any.</summary>
public sealed class TransientStatusException(HttpStatusCode status, TimeSpan? retryAfter)
    : Exception($"the registry answered {(int)status} {status}")
{
    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    public static TransientStatusException From(HttpResponseMessage response, TimeProvider time)
    {
        TimeSpan? retryAfter = null;
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } header)
        {
            retryAfter = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
            if (retryAfter < TimeSpan.Zero)
            {
                retryAfter = TimeSpan.Zero;
            }
        }

        return new TransientStatusException(response.StatusCode, retryAfter);
    }
}
