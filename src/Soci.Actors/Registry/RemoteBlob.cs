using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>
/// A layer blob opened for random access (the lazy filesystem's hot path). Range reads go straight to the blob's
/// real URL — the first mirror or the registry that served the probe, after redirects to storage — over pooled
/// connections. Each read returns exactly the requested bytes or fails: a wrong <c>Content-Range</c> or a short
/// body is never passed on. Servers that ignore <c>Range</c> (200) are handled by skipping to the offset.
/// </summary>
public sealed class RemoteBlob
{
    private readonly RegistryTransport _transport;
    private readonly RegistryScope _scope;
    private readonly IReadOnlyList<RegistryEndpoint> _sources;
    private readonly string _repository;
    private Uri _url;
    private OperationTarget _target;

    private RemoteBlob(RegistryTransport transport, RegistryScope scope, IReadOnlyList<RegistryEndpoint> sources, string repository, string digest,
        Uri url, long size, RegistryEndpoint source)
    {
        _transport = transport;
        _scope = scope;
        _sources = sources;
        _repository = repository;
        Digest = digest;
        _url = url;
        Size = size;
        Source = source;
        _target = new OperationTarget("GET range of blob", source.Host, repository, digest);
    }

    public string Digest { get; }

    public long Size { get; }

    /// <summary>The mirror or registry the reads go to.</summary>
    public RegistryEndpoint Source { get; private set; }

    /// <summary>Probes each source in order (mirrors first) and opens the blob at the first that serves it.</summary>
    internal static async Task<RemoteBlob> OpenAsync(RegistryTransport transport, RegistryScope scope, IReadOnlyList<RegistryEndpoint> sources,
        string repository, string digest, long size, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                var (url, total) = await ProbeAsync(transport, scope, source, repository, digest, cancellationToken).ConfigureAwait(false);
                if (size > 0 && total > 0 && total != size)
                {
                    throw new ContentVerificationException($"{source.Host}/{repository}@{digest}: the blob is {total} bytes, expected {size}");
                }

                return new RemoteBlob(transport, scope, sources, repository, digest, url, size > 0 ? size : total, source);
            }
            catch (RegistryException error)
            {
                failures.Add(error.Message);
            }
        }

        throw new RegistryException($"unable to open blob {repository}@{digest} from any source: {string.Join("; ", failures)}");
    }

    /// <summary>
    /// Reads <c>min(destination.Length, Size - offset)</c> bytes at <paramref name="offset"/> into
    /// <paramref name="destination"/> and returns that count (0 at the end of the blob).
    /// </summary>
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Size);
        var length = (int)Math.Min(destination.Length, Size - offset);
        if (length == 0)
        {
            return 0;
        }

        var read = new RangeRead(this, offset, destination[..length]);
        try
        {
            return await _transport.SendAsync(_target, read, static r => r.Blob.RangeRequest(r.Offset, r.Destination.Length), ReadRangeAsync, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RegistryAuthenticationException)
        {
            // A pre-signed storage URL expires: find the blob's real URL again and retry once.
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            return await _transport.SendAsync(_target, read, static r => r.Blob.RangeRequest(r.Offset, r.Destination.Length), ReadRangeAsync, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Re-probes the sources for the blob's real URL (after a redirect target expired or a source failed).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var fresh = await OpenAsync(_transport, _scope, _sources, _repository, Digest, Size, cancellationToken).ConfigureAwait(false);
        _url = fresh._url;
        Source = fresh.Source;
        _target = fresh._target;
    }

    private HttpRequestMessage RangeRequest(long offset, int length)
    {
        var request = RegistryTransport.Request(HttpMethod.Get, _url, _scope);
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        return request;
    }

    private static async ValueTask<int> ReadRangeAsync(HttpResponseMessage response, RangeRead read, CancellationToken cancellationToken)
    {
        var target = read.Blob._target;
        await ResponseChecks.EnsureSuccessAsync(response, target, cancellationToken).ConfigureAwait(false);
        var length = read.Destination.Length;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (response.Content.Headers.ContentType?.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
            {
                throw new ContentVerificationException($"{target}: a multipart answer to a single-range request");
            }

            var range = response.Content.Headers.ContentRange;
            if (range?.From != read.Offset || range.To != read.Offset + length - 1)
            {
                throw new ContentVerificationException(
                    $"{target}: asked for bytes {read.Offset}-{read.Offset + length - 1}, the server sent {range?.ToString() ?? "no Content-Range"}");
            }
        }
        else if (response.Content.Headers.ContentLength is { } whole && whole != read.Blob.Size)
        {
            throw new ContentVerificationException($"{target}: the server ignored the range and sent {whole} bytes of a {read.Blob.Size}-byte blob");
        }
        else
        {
            await SkipAsync(stream, read.Offset, target, cancellationToken).ConfigureAwait(false);
        }

        var received = await stream.ReadAtLeastAsync(read.Destination, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (received != length)
        {
            throw new ContentVerificationException($"{target}: the body ended after {received} of {length} bytes at offset {read.Offset}");
        }

        return received;
    }

    private static async ValueTask SkipAsync(Stream stream, long count, OperationTarget target, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (count > 0)
            {
                var read = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new ContentVerificationException($"{target}: the body ended before the requested offset");
                }

                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static async Task<(Uri Url, long Total)> ProbeAsync(RegistryTransport transport, RegistryScope scope, RegistryEndpoint source, string repository,
        string digest, CancellationToken cancellationToken)
    {
        var target = new OperationTarget("probe blob", source.Host, repository, digest);
        return await transport.SendAsync(
            target,
            (Url: source.Url(repository, "blobs", digest), Scope: scope, Target: target),
            static state =>
            {
                var request = RegistryTransport.Request(HttpMethod.Get, state.Url, state.Scope);
                request.Headers.Range = new RangeHeaderValue(0, 1);
                return request;
            },
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                var total = response.StatusCode == HttpStatusCode.PartialContent
                    ? response.Content.Headers.ContentRange?.Length ?? 0
                    : response.Content.Headers.ContentLength ?? 0;
                return (response.RequestMessage?.RequestUri ?? state.Url, total);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private readonly record struct RangeRead(RemoteBlob Blob, long Offset, Memory<byte> Destination);
}
