using System.Net;

namespace Soci.Actors.Registry.Hosts;

/// <summary>
/// How each registry host is reached (snapshotter §9.1): its mirrors (blob reads try them first, in order) and
/// whether it is spoken to over plain HTTP. Plain HTTP is used only for loopback hosts, for hosts with an
/// insecure mirror entry, or for hosts explicitly configured so; everything else is HTTPS.
/// </summary>
public sealed class RegistryHostsConfiguration
{
    private readonly Dictionary<string, IReadOnlyList<MirrorConfiguration>> _mirrors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _plainHttp = new(StringComparer.OrdinalIgnoreCase);

    public static RegistryHostsConfiguration Default => new();

    public RegistryHostsConfiguration WithMirrors(string host, params MirrorConfiguration[] mirrors)
    {
        _mirrors[host] = mirrors;
        return this;
    }

    /// <summary>Forces HTTP (true) or HTTPS (false) for a host, overriding the loopback rule (e.g. a TLS registry on 127.0.0.1).</summary>
    public RegistryHostsConfiguration WithPlainHttp(string host, bool plainHttp)
    {
        _plainHttp[host] = plainHttp;
        return this;
    }

    /// <summary>The registry's own endpoint; docker.io is served by registry-1.docker.io.</summary>
    public RegistryEndpoint Origin(string domain)
    {
        var host = domain == ImageReference.DockerHubDomain ? "registry-1.docker.io" : domain;
        var plain = _plainHttp.TryGetValue(domain, out var forced)
            ? forced
            : IsLoopback(host) || Mirrors(domain).Any(mirror => mirror.Insecure);
        return new RegistryEndpoint(plain ? "http" : "https", host, "/v2");
    }

    /// <summary>Where blobs are read from, in order: every valid mirror, then the origin.</summary>
    public IReadOnlyList<RegistryEndpoint> BlobSources(string domain)
    {
        var sources = new List<RegistryEndpoint>();
        foreach (var mirror in Mirrors(domain))
        {
            if (ToEndpoint(mirror) is { } endpoint)
            {
                sources.Add(endpoint);
            }
        }

        sources.Add(Origin(domain));
        return sources;
    }

    public static bool IsLoopback(string hostWithPort)
    {
        var host = HostWithoutPort(hostWithPort);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
               (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private IReadOnlyList<MirrorConfiguration> Mirrors(string domain) => _mirrors.TryGetValue(domain, out var mirrors) ? mirrors : [];

    private static RegistryEndpoint? ToEndpoint(MirrorConfiguration mirror)
    {
        var text = mirror.Host.Contains("://", StringComparison.Ordinal) ? mirror.Host : "placeholder://" + mirror.Host;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Authority.Length == 0)
        {
            return null;
        }

        var plain = mirror.Insecure || IsLoopback(url.Authority);
        var path = url.AbsolutePath.TrimEnd('/');
        var timeout = mirror.RequestTimeoutSeconds switch
        {
            > 0 => TimeSpan.FromSeconds(mirror.RequestTimeoutSeconds),
            < 0 => Timeout.InfiniteTimeSpan,
            _ => (TimeSpan?)null,
        };
        return new RegistryEndpoint(plain ? "http" : "https", url.Authority, path.Length == 0 ? "/v2" : path, timeout);
    }

    private static string HostWithoutPort(string hostWithPort)
    {
        if (hostWithPort.StartsWith('['))
        {
            var close = hostWithPort.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? hostWithPort[..(close + 1)] : hostWithPort;
        }

        var colon = hostWithPort.LastIndexOf(':');
        return colon > 0 && hostWithPort.IndexOf(':', StringComparison.Ordinal) == colon ? hostWithPort[..colon] : hostWithPort;
    }
}
