namespace Soci.Actors.Registry.Auth;

/// <summary>A bearer token and when it stops being usable (a little before the server's expiry).</summary>
public sealed record BearerToken(string Value, DateTimeOffset ExpiresAt)
{
    public bool IsValid(DateTimeOffset now) => now < ExpiresAt;

    public override string ToString() => $"bearer token (hidden) valid until {ExpiresAt:O}";
}
