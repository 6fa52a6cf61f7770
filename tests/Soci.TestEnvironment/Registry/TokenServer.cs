using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Soci.TestEnvironment.Faults;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment.Registry;

/// <summary>
/// A bearer-token service in front of a real registry, as Docker Hub-style registries work: registry requests
/// without a valid token for their repository get 401 with a <c>Bearer realm=…,service=…,scope=…</c> challenge;
/// <c>/token</c> (GET with Basic auth, or POST with an OAuth2 password form) issues opaque tokens that expire
/// after <see cref="TokenLifetime"/>. Requests with a valid token are forwarded to the registry.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "soci-test-registry";
    private readonly HttpListener _listener = new();
    private readonly HttpForwarder _forwarder;
    private readonly BasicCredentials _credentials;
    private readonly ConcurrentDictionary<string, (string[] Scopes, DateTimeOffset Expires)> _tokens = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _tokensIssued;

    private TokenServer(int port, HttpClient upstream, BasicCredentials credentials, TimeSpan lifetime)
    {
        Port = port;
        _credentials = credentials;
        TokenLifetime = lifetime;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _forwarder = new HttpForwarder(upstream, Host);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public TimeSpan TokenLifetime { get; }

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Tokens are granted to <paramref name="credentials"/> only; the registry behind stays anonymous.</summary>
    public static TokenServer Start(LocalRegistry registry, BasicCredentials credentials, TimeSpan? lifetime = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new TokenServer(FreePort.Next(), registry.CreateClient(), credentials, lifetime ?? TimeSpan.FromMinutes(5));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Makes every issued token invalid, as a token service revoking them would.</summary>
    public void RevokeAll() => _tokens.Clear();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
        {
        }

        _forwarder.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/token")
            {
                await IssueTokenAsync(context);
            }
            else
            {
                await ForwardAsync(context, path);
            }
        }
        catch (Exception error) when (error is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    private async Task IssueTokenAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string? user, password;
        List<string> scopes;
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var form = ParseQuery(await reader.ReadToEndAsync());
            user = form.GetValueOrDefault("username")?.FirstOrDefault();
            password = form.GetValueOrDefault("password")?.FirstOrDefault();
            scopes = form.GetValueOrDefault("scope")?.SelectMany(s => s.Split(' ')).ToList() ?? [];
        }
        else
        {
            (user, password) = BasicFrom(request.Headers["Authorization"]);
            scopes = ParseQuery(request.Url!.Query.TrimStart('?')).GetValueOrDefault("scope") ?? [];
        }

        if (user != _credentials.User || password != _credentials.Password)
        {
            await Answer(context.Response, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}""");
            return;
        }

        var token = Guid.NewGuid().ToString("N");
        _tokens[token] = (scopes.ToArray(), DateTimeOffset.UtcNow + TokenLifetime);
        Interlocked.Increment(ref _tokensIssued);
        await Answer(context.Response, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
        }));
    }

    private async Task ForwardAsync(HttpListenerContext context, string path)
    {
        var repository = RepositoryOf(path);
        var authorization = context.Request.Headers["Authorization"];
        var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : null;
        var allowed = token is not null && _tokens.TryGetValue(token, out var grant) && grant.Expires > DateTimeOffset.UtcNow &&
                      (repository is null || grant.Scopes.Any(scope => scope.StartsWith($"repository:{repository}:", StringComparison.Ordinal)));
        if (!allowed)
        {
            var scope = repository is null ? "" : $",scope=\"repository:{repository}:pull,push\"";
            context.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{Host}/token\",service=\"{Service}\"{scope}");
            await Answer(context.Response, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
            return;
        }

        using var upstream = await _forwarder.SendAsync(context.Request, _stopping.Token);
        HttpForwarder.CopyHead(upstream, context.Response);
        if (context.Request.HttpMethod != "HEAD")
        {
            var body = await upstream.Content.ReadAsByteArrayAsync(_stopping.Token);
            if (upstream.Content.Headers.ContentLength is null)
            {
                context.Response.ContentLength64 = body.Length;
            }

            await context.Response.OutputStream.WriteAsync(body, _stopping.Token);
        }

        context.Response.Close();
    }

    /// <summary>The repository of a /v2/&lt;name&gt;/(manifests|blobs|tags|referrers)/… path; null for /v2/.</summary>
    private static string? RepositoryOf(string path)
    {
        var parts = path.Trim('/').Split('/');
        var kind = Array.FindLastIndex(parts, part => part is "manifests" or "blobs" or "tags" or "referrers");
        return parts.Length > 2 && parts[0] == "v2" && kind > 1 ? string.Join('/', parts[1..kind]) : null;
    }

    private static (string? User, string? Password) BasicFrom(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static Dictionary<string, List<string>> ParseQuery(string query)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!result.TryGetValue(key, out var values))
            {
                result[key] = values = [];
            }

            values.Add(value);
        }

        return result;
    }

    private static async Task Answer(HttpListenerResponse response, int status, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
