namespace Soci.Actors.Registry.Auth;

/// <summary>
/// A user name and secret for one registry host. An empty user name means the secret is an identity (refresh)
/// token. <see cref="ToString"/> never shows the secret, so credentials cannot leak through logs or messages.
/// </summary>
public sealed class RegistryCredentials
{
    public RegistryCredentials(string username, string secret)
    {
        Username = username;
        Secret = secret;
    }

    public string Username { get; }

    public string Secret { get; }

    public bool IsIdentityToken => Username.Length == 0;

    /// <summary><c>user[:password]</c> as the CLI's --user flag takes it (no ':' → empty password).</summary>
    public static RegistryCredentials ParseUserFlag(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? new RegistryCredentials(value[..colon], value[(colon + 1)..]) : new RegistryCredentials(value, "");
    }

    public override string ToString() => $"credentials for user \"{Username}\" (secret hidden)";
}
