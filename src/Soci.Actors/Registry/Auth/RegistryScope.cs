namespace Soci.Actors.Registry.Auth;

/// <summary>
/// Attached to every registry request: which registry (as references name it) and which token scopes the request needs (<c>repository:&lt;name&gt;:pull</c>, <c>…:pull,push</c>).
/// </summary>
public sealed record RegistryScope(string Domain, IReadOnlyList<string> Scopes)
{
    public static readonly HttpRequestOptionsKey<RegistryScope> Key = new("soci.registry-scope");

    public static RegistryScope Pull(string domain, string repository) => new(domain, [$"repository:{repository}:pull"]);

    public static RegistryScope Push(string domain, string repository) => new(domain, [$"repository:{repository}:pull,push"]);

    /// <summary>Push to <paramref name="repository"/> while mounting blobs from <paramref name="mountFrom"/>.</summary>
    public static RegistryScope PushWithMount(string domain, string repository, string mountFrom) =>
        new(domain, [$"repository:{repository}:pull,push", $"repository:{mountFrom}:pull"]);

    public string CacheKey => string.Join(' ', Scopes.Order(StringComparer.Ordinal));
}
