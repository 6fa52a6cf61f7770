using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Soci.Actors.Registry.Auth;

/// <summary>
/// Adds the registry's authorization to requests that carry a <see cref="RegistryScope"/>: it remembers each host's
/// challenge, caches bearer tokens per host and scope until they expire, and on a 401 answers the challenge
/// (Basic or the bearer token flow) and sends the request once more. Concurrent requests needing the same token
/// wait for one token fetch. Requests to other hosts (e.g. blob storage after a redirect) get no credentials.
/// </summary>
public sealed class AuthenticatingHandler : DelegatingHandler
{
    private readonly ICredentialProvider _credentials;
    private readonly BearerTokenClient _tokens;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, BearerToken> _tokenCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tokenLocks = new(StringComparer.Ordinal);
    private int _tokensFetched;

    public AuthenticatingHandler(HttpMessageHandler inner, ICredentialProvider credentials, TimeProvider time) : base(inner)
    {
        _credentials = credentials;
        _time = time;
        _tokens = new BearerTokenClient(new HttpMessageInvoker(inner, disposeHandler: false), time);
    }

    /// <summary>How many tokens were fetched from token services (tests check caching with it).</summary>
    public int TokensFetched => Volatile.Read(ref _tokensFetched);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(RegistryScope.Key, out var scope) || request.RequestUri is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var authority = request.RequestUri.Authority;
        request.Headers.Authorization = await AuthorizationAsync(authority, scope, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || AuthChallenge.Select(response.Headers.WwwAuthenticate) is not { } challenge)
        {
            return response;
        }

        // A 401 means the cached token (if any) was revoked or expired early: forget it and answer the challenge.
        _challenges[authority] = challenge;
        _tokenCache.TryRemove(TokenKey(authority, scope), out _);
        var authorization = await AuthorizationAsync(authority, scope, cancellationToken).ConfigureAwait(false);
        if (authorization is null)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = authorization;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AuthorizationAsync(string authority, RegistryScope scope, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(authority, out var challenge))
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            var credentials = await _credentials.GetAsync(CredentialHost(authority), cancellationToken).ConfigureAwait(false);
            return credentials is null
                ? null
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Secret}")));
        }

        if (!challenge.IsBearer)
        {
            return null;
        }

        var token = await TokenAsync(authority, challenge, scope, cancellationToken).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token.Value);
    }

    private async Task<BearerToken> TokenAsync(string authority, AuthChallenge challenge, RegistryScope scope, CancellationToken cancellationToken)
    {
        var key = TokenKey(authority, scope);
        if (_tokenCache.TryGetValue(key, out var cached) && cached.IsValid(_time.GetUtcNow()))
        {
            return cached;
        }

        var gate = _tokenLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokenCache.TryGetValue(key, out cached) && cached.IsValid(_time.GetUtcNow()))
            {
                return cached;
            }

            var scopes = scope.Scopes.ToList();
            if (challenge["scope"] is { Length: > 0 } challengeScope && !scopes.Contains(challengeScope))
            {
                scopes.Insert(0, challengeScope);
            }

            var credentials = await _credentials.GetAsync(CredentialHost(authority), cancellationToken).ConfigureAwait(false);
            var token = await _tokens.FetchAsync(challenge, scopes, credentials, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _tokensFetched);
            _tokenCache[key] = token;
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Credentials belong to the host asked (a mirror has its own), with Docker Hub's API host named docker.io.</summary>
    private static string CredentialHost(string authority) =>
        authority.Equals("registry-1.docker.io", StringComparison.OrdinalIgnoreCase) ? ImageReference.DockerHubDomain : authority;

    private static string TokenKey(string authority, RegistryScope scope) => authority + "|" + scope.CacheKey;
}
