namespace Soci.Actors.Registry.Hosts;

/// <summary>
/// Where the distribution API of a registry (or one of its mirrors) is served: scheme, host and API path
/// (<c>/v2</c> unless a mirror names another), plus an optional per-request timeout of that endpoint.
/// </summary>
public sealed record RegistryEndpoint(string Scheme, string Host, string ApiPath, TimeSpan? RequestTimeout = null)
{
    public Uri Url(string repository, string kind, string reference) =>
        new($"{Scheme}://{Host}{ApiPath}/{repository}/{kind}/{reference}");

    public Uri Url(string relative) => new($"{Scheme}://{Host}{ApiPath}/{relative}");

    public override string ToString() => $"{Scheme}://{Host}{ApiPath}";
}
