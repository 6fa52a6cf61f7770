using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>Everything a <see cref="RegistryClient"/> is configured with.</summary>
public sealed record RegistryClientOptions
{
    public ICredentialProvider Credentials { get; init; } = AnonymousCredentialProvider.Instance;

    public RegistryHostsConfiguration Hosts { get; init; } = RegistryHostsConfiguration.Default;

    public RetryOptions Retry { get; init; } = new();

    /// <summary>PEM CA certificate files trusted in addition to the system's roots.</summary>
    public IReadOnlyList<string> TrustedCaFiles { get; init; } = [];

    /// <summary>Connections kept per server; concurrent range reads each need one under HTTP/1.1.</summary>
    public int MaxConnectionsPerServer { get; init; } = 64;

    /// <summary>Monolithic uploads up to this size; larger blobs go up in chunks of this size.</summary>
    public int UploadChunkSize { get; init; } = 16 << 20;

    public string UserAgent { get; init; } = "soci-snapshotter/" + BuildInfo.Version;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
