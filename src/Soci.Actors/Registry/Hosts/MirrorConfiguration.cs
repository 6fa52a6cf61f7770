namespace Soci.Actors.Registry.Hosts;

/// <summary>
/// One <c>[[resolver.host."H".mirrors]]</c> entry: <paramref name="Host"/> may carry a path (used instead of
/// <c>/v2</c>); <paramref name="Insecure"/> selects plain HTTP; a non-zero <paramref name="RequestTimeoutSeconds"/>
/// bounds each request to the mirror (negative: no timeout).
/// </summary>
public sealed record MirrorConfiguration(string Host, bool Insecure = false, int RequestTimeoutSeconds = 0);
