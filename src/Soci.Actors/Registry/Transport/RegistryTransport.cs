using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Soci.Actors.Registry.Auth;

namespace Soci.Actors.Registry.Transport;

/// <summary>
/// The HTTP side of the registry client: one pooled <see cref="SocketsHttpHandler"/> (HTTP/1.1, HTTP/2 over TLS),
/// redirects and authentication as handlers, and a Polly pipeline that wraps each whole exchange — request,
/// status check and body read — so connection resets, 5xx/429 answers, stalls and truncated or corrupt bodies
/// are retried with exponential backoff and jitter (or the server's Retry-After) within per-attempt and overall
/// timeouts. After the last attempt the error names the operation's host, repository and digest.
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("soci.attempts");
    private readonly HttpClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly RetryOptions _retry;

    public RegistryTransport(RegistryClientOptions options)
    {
        _time = options.Time;
        _retry = options.Retry;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Retry.ConnectTimeout,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
        };
        if (options.TrustedCaFiles.Count > 0)
        {
            var roots = new X509Certificate2Collection();
            foreach (var file in options.TrustedCaFiles)
            {
                roots.ImportFromPemFile(file);
            }

            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors, roots);
        }

        Authentication = new AuthenticatingHandler(sockets, options.Credentials, options.Time);
        _client = new HttpClient(new RedirectHandler(Authentication)) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _pipeline = BuildPipeline(options.Retry);
    }

    public AuthenticatingHandler Authentication { get; }

    /// <summary>A request prepared as every registry request is: HTTP/2 when TLS negotiates it, and the auth scope.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri url, RegistryScope scope)
    {
        var request = new HttpRequestMessage(method, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Options.Set(RegistryScope.Key, scope);
        return request;
    }

    /// <summary>
    /// Runs one exchange under the retry pipeline. <paramref name="createRequest"/> builds a fresh request per
    /// attempt; <paramref name="handleResponse"/> reads and checks the response (throwing
    /// <see cref="ContentVerificationException"/> on wrong bytes, which counts as a transient fault).
    /// </summary>
    public async Task<TResult> SendAsync<TState, TResult>(
        OperationTarget target,
        TState state,
        Func<TState, HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, TState, CancellationToken, ValueTask<TResult>> handleResponse,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, arguments) =>
                {
                    context.Properties.Set(AttemptsKey, context.Properties.GetValue(AttemptsKey, 0) + 1);
                    var (self, state, createRequest, handleResponse) = arguments;
                    using var request = createRequest(state);
                    using var response = await self._client
                        .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken)
                        .ConfigureAwait(false);
                    if (TransientStatusException.IsTransient(response.StatusCode))
                    {
                        throw TransientStatusException.From(response, self._time);
                    }

                    return await handleResponse(response, state, context.CancellationToken).ConfigureAwait(false);
                },
                context,
                (this, state, createRequest, handleResponse)).ConfigureAwait(false);
        }
        catch (Exception error) when (IsRetryable(error) || error is TimeoutRejectedException)
        {
            var attempts = context.Properties.GetValue(AttemptsKey, 1);
            var message = $"{target}: giving up after {attempts} attempt(s): {Describe(error, target)}";
            throw error is ContentVerificationException
                ? new ContentVerificationException(message, error)
                : new RegistryException(message, error);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose() => _client.Dispose();

    private ResiliencePipeline BuildPipeline(RetryOptions retry)
    {
        var builder = new ResiliencePipelineBuilder().AddTimeout(retry.OverallTimeout);
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } error && IsRetryable(error)),
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.MinDelay,
                MaxDelay = retry.MaxDelay,
                DelayGenerator = arguments => ValueTask.FromResult(ServerRequestedDelay(arguments.Outcome.Exception)),
            });
        }

        return builder.AddTimeout(retry.AttemptTimeout).Build();
    }

    private TimeSpan? ServerRequestedDelay(Exception? error)
    {
        if (error is not TransientStatusException { RetryAfter: { } retryAfter })
        {
            return null;
        }

        return retryAfter <= _retry.MaxRetryAfter ? retryAfter : throw new RegistryException(
            $"the registry asked to retry after {retryAfter.TotalSeconds:0} s, longer than the {_retry.MaxRetryAfter.TotalSeconds:0} s allowed");
    }

    /// <summary>Transport faults and transient statuses are retried; TLS trust, redirect loops and protocol violations are not.</summary>
    private static bool IsRetryable(Exception error) => error switch
    {
        TransientStatusException or ContentVerificationException or HttpIOException or TimeoutRejectedException => true,
        HttpRequestException http => http.HttpRequestError is not (HttpRequestError.SecureConnectionError
            or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.UserAuthenticationError
            or HttpRequestError.VersionNegotiationError) && http.InnerException is not AuthenticationException,
        IOException => true,
        _ => false,
    };

    private static string Describe(Exception error, OperationTarget target) => error switch
    {
        TimeoutRejectedException timeout => $"timed out after {timeout.Timeout.TotalSeconds:0.###} s",
        _ when error.Message.StartsWith(target + ": ", StringComparison.Ordinal) => error.Message[(target.ToString().Length + 2)..],
        _ => error.Message,
    };

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
