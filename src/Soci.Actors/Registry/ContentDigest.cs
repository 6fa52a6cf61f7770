using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Soci.Actors.Registry;

/// <summary>OCI content digests (<c>sha256:&lt;64 hex&gt;</c>): validation, computation and verification.</summary>
public static partial class ContentDigest
{
    public const string Sha256Prefix = "sha256:";

    /// <summary>Validates a digest string; only sha256 is accepted because it is all the registry serves.</summary>
    public static string Parse(string text)
    {
        if (!Sha256Pattern().IsMatch(text))
        {
            throw new FormatException($"invalid digest \"{text}\": expected sha256:<64 lower-case hex digits>");
        }

        return text;
    }

    public static bool IsValid(string text) => Sha256Pattern().IsMatch(text);

    public static string Of(ReadOnlySpan<byte> content) => Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The hex part, as the referrers tag schema (<c>sha256-&lt;hex&gt;</c>) and blob file names use it.</summary>
    public static string Hex(string digest) => Parse(digest)[Sha256Prefix.Length..];

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex Sha256Pattern();
}
