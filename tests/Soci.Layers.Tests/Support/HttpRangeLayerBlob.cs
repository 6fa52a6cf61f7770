using System.Net;
using System.Net.Http.Headers;
using Soci.Actors.Layers.Spans;

namespace Soci.Layers.Tests.Support;

/// <summary>A registry blob read with plain HTTP range GETs (no retries: the span manager's behaviour is under test).</summary>
public sealed class HttpRangeLayerBlob(HttpClient client, string repository, string digest, long size) : ILayerBlob
{
    public long Size => size;

    public async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(offset, offset + destination.Length - 1);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            throw new IOException($"range GET of {digest} at {offset} answered {(int)response.StatusCode}");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.ReadExactlyAsync(destination, cancellationToken);
    }
}
