using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>
/// Client of the OCI distribution API. One instance shares its connection pool, token cache and retry policy
/// across every repository it is asked for; dispose it when done.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    public RegistryClient(RegistryClientOptions? options = null)
    {
        Options = options ?? new RegistryClientOptions();
        Transport = new RegistryTransport(Options);
    }

    public RegistryClientOptions Options { get; }

    public RegistryTransport Transport { get; }

    public RepositoryClient Repository(ImageReference reference) => Repository(reference.Domain, reference.Repository);

    public RepositoryClient Repository(string domain, string repository) => new(this, domain, repository);

    public void Dispose() => Transport.Dispose();
}
