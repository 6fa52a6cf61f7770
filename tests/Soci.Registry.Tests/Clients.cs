using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;
using Soci.Actors.Registry.Transport;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

/// <summary>Registry clients configured for the loopback test registries, with retries fast enough for tests.</summary>
public static class Clients
{
    public static readonly RetryOptions FastRetries = new()
    {
        MaxRetries = 4,
        MinDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        OverallTimeout = TimeSpan.FromSeconds(60),
    };

    public static RegistryClient For(LocalRegistry registry, ICredentialProvider? credentials = null, RetryOptions? retry = null)
    {
        var hosts = new RegistryHostsConfiguration();
        var trusted = new List<string>();
        if (registry.Certificate is { } certificate)
        {
            hosts.WithPlainHttp(registry.Host, false);
            trusted.Add(certificate.CertificatePath);
        }

        return new RegistryClient(new RegistryClientOptions
        {
            Hosts = hosts,
            TrustedCaFiles = trusted,
            Credentials = credentials ?? AnonymousCredentialProvider.Instance,
            Retry = retry ?? FastRetries,
        });
    }

    public static RegistryClient Plain(ICredentialProvider? credentials = null, RetryOptions? retry = null) =>
        new(new RegistryClientOptions { Credentials = credentials ?? AnonymousCredentialProvider.Instance, Retry = retry ?? FastRetries });
}
