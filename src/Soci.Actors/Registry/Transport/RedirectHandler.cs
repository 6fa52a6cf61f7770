using System.Net;

namespace Soci.Actors.Registry.Transport;

/// <summary>
/// Follows redirects (registries send blob reads to storage, often pre-signed URLs on another host). A hop to
/// another origin drops the <c>Authorization</c> header and the request's <see cref="Auth.RegistryScope"/>, so the
/// registry's credentials are never offered to that host, not even if it answers with a challenge.
/// </summary>
public sealed class RedirectHandler(HttpMessageHandler inner, int maxRedirects = 10) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; IsRedirect(response.StatusCode) && response.Headers.Location is { } location; hops++)
        {
            if (hops == maxRedirects)
            {
                response.Dispose();
                throw new RegistryException($"{request.Method} {RedactedUrl.Of(request.RequestUri)}: stopped after {maxRedirects} redirects");
            }

            var previous = request.RequestUri!;
            var target = location.IsAbsoluteUri ? location : new Uri(previous, location);
            if (target.Scheme is not ("http" or "https"))
            {
                response.Dispose();
                throw new RegistryException($"{request.Method} {RedactedUrl.Of(previous)}: redirect to unsupported scheme {target.Scheme}");
            }

            if (response.StatusCode == HttpStatusCode.SeeOther ||
                (response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found && request.Method == HttpMethod.Post))
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
            }

            if (!SameOrigin(previous, target))
            {
                request.Headers.Authorization = null;
                ((IDictionary<string, object?>)request.Options).Remove(Auth.RegistryScope.Key.Key);
            }

            response.Dispose();
            request.RequestUri = target;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.Moved or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
            or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri first, Uri second) =>
        Uri.Compare(first, second, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
}
