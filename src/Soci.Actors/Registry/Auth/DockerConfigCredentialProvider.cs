using System.Text;
using System.Text.Json;

namespace Soci.Actors.Registry.Auth;

/// <summary>
/// Credentials from a Docker <c>config.json</c>: per-host credential helpers (<c>credHelpers</c>), then inline
/// <c>auths</c> entries, then the default credential store (<c>credsStore</c>). Docker Hub is looked up under
/// <c>https://index.docker.io/v1/</c> as Docker itself stores it.
/// </summary>
public sealed class DockerConfigCredentialProvider : ICredentialProvider
{
    private const string DockerHubKey = "https://index.docker.io/v1/";
    private readonly string _path;

    public DockerConfigCredentialProvider(string path) => _path = path;

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>$HOME/.docker/config.json</c>.</summary>
    public static string DefaultPath()
    {
        var directory = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(directory))
        {
            directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }

        return Path.Combine(directory, "config.json");
    }

    public async Task<RegistryCredentials?> GetAsync(string host, CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        using var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var key = host is ImageReference.DockerHubDomain or "registry-1.docker.io" or "index.docker.io" ? DockerHubKey : host;

        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object &&
            helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } helperName)
        {
            return await new CredentialHelper(helperName).GetAsync(key, cancellationToken).ConfigureAwait(false);
        }

        if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object &&
            FindAuthEntry(auths, key) is { } entry && FromAuthEntry(entry, host) is { } inline)
        {
            return inline;
        }

        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
        {
            return await new CredentialHelper(storeName).GetAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<JsonDocument> ReadAsync(CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(_path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException error)
            {
                throw new RegistryException($"docker config {_path} is not valid JSON: {error.Message}", error);
            }
        }
    }

    /// <summary>Entries may be keyed by bare host or by URL (<c>https://host/v1/</c>); both name the same host.</summary>
    private static JsonElement? FindAuthEntry(JsonElement auths, string key)
    {
        foreach (var property in auths.EnumerateObject())
        {
            if (property.Name == key || HostOf(property.Name) == key)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string HostOf(string entryKey)
    {
        var withoutScheme = entryKey.Contains("://", StringComparison.Ordinal) ? entryKey[(entryKey.IndexOf("://", StringComparison.Ordinal) + 3)..] : entryKey;
        var slash = withoutScheme.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? withoutScheme : withoutScheme[..slash];
    }

    private RegistryCredentials? FromAuthEntry(JsonElement entry, string host)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (Text(entry, "identitytoken") is { Length: > 0 } identityToken)
        {
            return new RegistryCredentials("", identityToken);
        }

        if (Text(entry, "auth") is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new RegistryException($"docker config {_path}: the auth entry for {host} is not base64");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new RegistryException($"docker config {_path}: the auth entry for {host} is not user:password");
            }

            return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..].Trim('\0'));
        }

        return Text(entry, "username") is { Length: > 0 } user ? new RegistryCredentials(user, Text(entry, "password") ?? "") : null;
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
