using System.Text.RegularExpressions;

namespace Soci.Actors.Registry;

/// <summary>
/// An image reference <c>[host[:port]/]repository[:tag][@digest]</c> normalized with Docker's rules: a first
/// path component that has no '.' or ':' and is not "localhost" is not a host, so the image lives on docker.io,
/// and single-component docker.io repositories live under "library/".
/// </summary>
public sealed partial record ImageReference(string Domain, string Repository, string? Tag, string? Digest)
{
    public const string DockerHubDomain = "docker.io";

    /// <summary>The host the distribution API of <see cref="Domain"/> is served on.</summary>
    public string RegistryHost => Domain == DockerHubDomain ? "registry-1.docker.io" : Domain;

    /// <summary>What the manifest endpoint is asked for: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    public static ImageReference Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("reference cannot be empty");
        }

        var remainder = text;
        string? digest = null;
        var at = remainder.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = ContentDigest.Parse(remainder[(at + 1)..]);
            remainder = remainder[..at];
        }

        string? tag = null;
        var lastColon = remainder.LastIndexOf(':');
        if (lastColon > remainder.LastIndexOf('/'))
        {
            tag = remainder[(lastColon + 1)..];
            remainder = remainder[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                throw new FormatException($"invalid tag in reference \"{text}\"");
            }
        }

        var (domain, repository) = SplitDomain(remainder);
        if (!RepositoryPattern().IsMatch(repository))
        {
            throw new FormatException($"invalid repository name in reference \"{text}\": must be lower case path components");
        }

        return new ImageReference(domain, repository, tag ?? (digest is null ? "latest" : null), digest);
    }

    public ImageReference WithDigest(string digest) => this with { Digest = ContentDigest.Parse(digest) };

    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    public override string ToString() =>
        $"{Domain}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    private static (string Domain, string Repository) SplitDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        var isHost = slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        if (!isHost)
        {
            return (DockerHubDomain, slash < 0 ? "library/" + name : name);
        }

        var domain = first == "index.docker.io" ? DockerHubDomain : first;
        var repository = name[(slash + 1)..];
        if (domain == DockerHubDomain && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        return (domain, repository);
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
