using System.Security.Cryptography;

namespace Soci.Formats.Index;

/// <summary>A serialized ztoc and its content digest.</summary>
public sealed record StoredZtoc(string Digest, byte[] Bytes)
{
    public static StoredZtoc Of(byte[] bytes) => new("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
}
