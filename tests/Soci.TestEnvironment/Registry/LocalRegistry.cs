using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment.Registry;

/// <summary>
/// A real OCI registry (Debian's docker-registry, distribution 2.8) serving from the test directory on a free
/// loopback port, optionally with htpasswd basic auth and TLS.
/// </summary>
public sealed class LocalRegistry
{
    private readonly ManagedProcess _process;

    private LocalRegistry(ManagedProcess process, int port, RegistryOptions options, SelfSignedCertificate? certificate)
    {
        _process = process;
        Port = port;
        Options = options;
        Certificate = certificate;
    }

    public int Port { get; }

    public RegistryOptions Options { get; }

    /// <summary>The server certificate, which is also the CA to trust; null for plain HTTP.</summary>
    public SelfSignedCertificate? Certificate { get; }

    /// <summary>host:port, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"{(Options.Tls ? "https" : "http")}://{Host}/");

    public ManagedProcess Process => _process;

    public string Reference(string repository, string tag) => $"{Host}/{repository}:{tag}";

    /// <summary>Body bytes of all blob GETs answered since start; take differences to measure one client's pull.</summary>
    public long BlobBytesServed() => RegistryAccessLog.BlobBytes(_process.Log());

    public static async Task<LocalRegistry> StartAsync(TestDirectory owner, RegistryOptions? options = null)
    {
        options ??= RegistryOptions.Anonymous;
        var directory = owner.Sub($"registry-{Guid.NewGuid().ToString("N")[..6]}");
        var certificate = options.Tls ? SelfSignedCertificate.CreateIn(directory) : null;
        var htpasswd = options.BasicAuth is { } credentials ? await WriteHtpasswd(directory, credentials) : null;

        // A port found free may be taken before the registry binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, Config(Path.Combine(directory, "storage"), port, certificate, htpasswd));
            var process = ManagedProcess.Start(owner, $"registry-{port}", "docker-registry", ["serve", config]);
            var registry = new LocalRegistry(process, port, options, certificate);
            try
            {
                await process.WaitUntilReadyAsync(registry.NotAnsweringBecause, TimeSpan.FromSeconds(30), $"registry on {registry.Host}");
                return registry;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.Log().Contains("address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>An HttpClient that trusts this registry's certificate and sends its credentials.</summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler();
        if (Certificate is not null)
        {
            var trusted = Certificate.Load();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == trusted.GetCertHashString();
        }

        var client = new HttpClient(handler) { BaseAddress = BaseUri };
        if (Options.BasicAuth is { } credentials)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.AsUserColonPassword)));
        }

        return client;
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(5));

    private async Task<string?> NotAnsweringBecause()
    {
        using var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        try
        {
            using var response = await client.GetAsync("v2/");
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized
                ? null
                : $"GET /v2/ answered {response.StatusCode}";
        }
        catch (HttpRequestException error)
        {
            return error.Message;
        }
    }

    private static async Task<string> WriteHtpasswd(string directory, BasicCredentials credentials)
    {
        // distribution accepts only bcrypt entries; apache2-utils' htpasswd writes them.
        var entry = await CommandRunner.RunAsync("htpasswd", "-Bbn", credentials.User, credentials.Password);
        var path = Path.Combine(directory, "htpasswd");
        await File.WriteAllTextAsync(path, entry.EnsureSuccess().StandardOutput.Trim() + "\n");
        return path;
    }

    private static string Config(string storage, int port, SelfSignedCertificate? certificate, string? htpasswd)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("version: 0.1");
        yaml.AppendLine("log:");
        yaml.AppendLine("  level: info");
        yaml.AppendLine("storage:");
        yaml.AppendLine("  filesystem:");
        yaml.AppendLine($"    rootdirectory: {storage}");
        yaml.AppendLine("  delete:");
        yaml.AppendLine("    enabled: true");
        yaml.AppendLine("  maintenance:");
        yaml.AppendLine("    uploadpurging:");
        yaml.AppendLine("      enabled: false");
        yaml.AppendLine("http:");
        yaml.AppendLine($"  addr: 127.0.0.1:{port}");
        yaml.AppendLine($"  secret: {Guid.NewGuid():N}");
        if (certificate is not null)
        {
            yaml.AppendLine("  tls:");
            yaml.AppendLine($"    certificate: {certificate.CertificatePath}");
            yaml.AppendLine($"    key: {certificate.KeyPath}");
        }

        if (htpasswd is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine("    realm: soci-test");
            yaml.AppendLine($"    path: {htpasswd}");
        }

        return yaml.ToString();
    }
}
