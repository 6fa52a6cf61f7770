namespace Soci.Actors.Registry.Auth;

/// <summary>Finds credentials for a registry host (as image references name it, e.g. <c>docker.io</c>, <c>host:5000</c>).</summary>
public interface ICredentialProvider
{
    /// <returns>null when this provider has none for the host.</returns>
    Task<RegistryCredentials?> GetAsync(string host, CancellationToken cancellationToken);
}

/// <summary>Tries providers in order; the first that has credentials wins (snapshotter §9.2).</summary>
public sealed class CredentialProviderChain(IReadOnlyList<ICredentialProvider> providers) : ICredentialProvider
{
    public async Task<RegistryCredentials?> GetAsync(string host, CancellationToken cancellationToken)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetAsync(host, cancellationToken).ConfigureAwait(false) is { } credentials)
            {
                return credentials;
            }
        }

        return null;
    }
}

/// <summary>Credentials given explicitly (the CLI's --user) for one host.</summary>
public sealed class StaticCredentialProvider(string host, RegistryCredentials credentials) : ICredentialProvider
{
    public Task<RegistryCredentials?> GetAsync(string requestedHost, CancellationToken cancellationToken) =>
        Task.FromResult(string.Equals(requestedHost, host, StringComparison.OrdinalIgnoreCase) ? credentials : null);
}

/// <summary>No credentials: every request is anonymous.</summary>
public sealed class AnonymousCredentialProvider : ICredentialProvider
{
    public static AnonymousCredentialProvider Instance { get; } = new();

    public Task<RegistryCredentials?> GetAsync(string host, CancellationToken cancellationToken) => Task.FromResult<RegistryCredentials?>(null);
}
