using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Soci.Actors.Registry.Auth;

/// <summary>
/// Fetches tokens from a registry's token service (Docker token flow as containerd's authorizer does it): with a
/// secret, <c>POST</c> an OAuth2 form first and fall back to <c>GET</c> with Basic auth when the service does not
/// support it; anonymously, <c>GET</c> with <c>service</c> and <c>scope</c> query parameters.
/// </summary>
public sealed class BearerTokenClient(HttpMessageInvoker http, TimeProvider time)
{
    private const string ClientId = "containerd-client";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    public async Task<BearerToken> FetchAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials? credentials,
        CancellationToken cancellationToken)
    {
        var realm = challenge["realm"] is { Length: > 0 } text && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new RegistryException("the registry's bearer challenge has no valid realm");
        var service = challenge["service"];

        if (credentials is not null && credentials.Secret.Length > 0)
        {
            using var post = await PostFormAsync(realm, service, scopes, credentials, cancellationToken).ConfigureAwait(false);
            var fallBack = post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest ||
                           (post.StatusCode == HttpStatusCode.MethodNotAllowed && !credentials.IsIdentityToken);
            if (!fallBack)
            {
                return await ReadTokenAsync(post, realm, cancellationToken).ConfigureAwait(false);
            }
        }

        using var get = await GetAsync(realm, service, scopes, credentials, cancellationToken).ConfigureAwait(false);
        return await ReadTokenAsync(get, realm, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> PostFormAsync(Uri realm, string? service, IReadOnlyList<string> scopes,
        RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (credentials.IsIdentityToken)
        {
            form.Add(new("grant_type", "refresh_token"));
            form.Add(new("refresh_token", credentials.Secret));
        }
        else
        {
            form.Add(new("grant_type", "password"));
            form.Add(new("username", credentials.Username));
            form.Add(new("password", credentials.Secret));
        }

        if (service is not null)
        {
            form.Add(new("service", service));
        }

        form.Add(new("scope", string.Join(' ', scopes)));
        form.Add(new("client_id", ClientId));
        using var request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri realm, string? service, IReadOnlyList<string> scopes,
        RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] : "");
        if (service is not null)
        {
            Append(query, "service", service);
        }

        foreach (var scope in scopes)
        {
            Append(query, "scope", scope);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realm) { Query = query.ToString() }.Uri);
        if (credentials is not null && credentials.Secret.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Secret}")));
        }

        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BearerToken> ReadTokenAsync(HttpResponseMessage response, Uri realm, CancellationToken cancellationToken)
    {
        var where = $"token service {realm.GetLeftPart(UriPartial.Path)}";
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryAuthenticationException($"{where} refused the token request: {(int)response.StatusCode} {response.StatusCode}");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = Text(root, "access_token") ?? Text(root, "token")
                        ?? throw new RegistryAuthenticationException($"{where} answered without a token");
            var lifetime = root.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var value) && value > 0
                ? TimeSpan.FromSeconds(value)
                : DefaultLifetime;
            var usable = lifetime > ExpiryMargin * 2 ? lifetime - ExpiryMargin : lifetime;
            return new BearerToken(token, time.GetUtcNow() + usable);
        }
        catch (JsonException)
        {
            throw new RegistryAuthenticationException($"{where} answered with something that is not JSON");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(key).Append('=').Append(Uri.EscapeDataString(value));
    }
}
