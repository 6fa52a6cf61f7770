namespace Soci.TestEnvironment.Registry;

/// <summary>User name and password for the registry's htpasswd basic auth.</summary>
public sealed record BasicCredentials(string User, string Password)
{
    public string AsUserColonPassword => $"{User}:{Password}";
}

/// <summary>How a test registry is served: anonymous over plain HTTP unless told otherwise.</summary>
public sealed record RegistryOptions
{
    public BasicCredentials? BasicAuth { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate generated for this registry (its own CA).</summary>
    public bool Tls { get; init; }

    public static RegistryOptions Anonymous { get; } = new();
}
