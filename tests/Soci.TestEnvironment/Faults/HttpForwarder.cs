using System.Net;

namespace Soci.TestEnvironment.Faults;

/// <summary>
/// Forwards an <see cref="HttpListenerContext"/> to an upstream server (the real registry). The upstream is told
/// the proxy's own host, so the upload and redirect URLs it writes lead back through the proxy.
/// </summary>
public sealed class HttpForwarder(HttpClient upstream, string proxyHost) : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Host", "Content-Length", "Proxy-Connection", "Upgrade", "TE", "Trailer",
    };

    /// <summary>Sends the listener's request upstream and returns the upstream response (headers read, body not).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpListenerRequest incoming, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(upstream.BaseAddress!, incoming.RawUrl));
        var body = new MemoryStream();
        await incoming.InputStream.CopyToAsync(body, cancellationToken);
        if (body.Length > 0 || incoming.HttpMethod is "PUT" or "POST" or "PATCH")
        {
            body.Position = 0;
            request.Content = new StreamContent(body);
        }

        foreach (var name in incoming.Headers.AllKeys.OfType<string>())
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            var values = incoming.Headers.GetValues(name) ?? [];
            if (!request.Headers.TryAddWithoutValidation(name, values) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Headers.Host = proxyHost;
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        return await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Copies status and headers of an upstream response to the listener's response.</summary>
    public static void CopyHead(HttpResponseMessage response, HttpListenerResponse outgoing)
    {
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                outgoing.AddHeader(name, value);
            }
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            outgoing.ContentLength64 = length;
        }
    }

    public void Dispose() => upstream.Dispose();
}
