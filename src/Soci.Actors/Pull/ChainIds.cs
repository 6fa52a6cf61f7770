using System.Security.Cryptography;
using System.Text;

namespace Soci.Actors.Pull;

/// <summary>
/// The OCI chainIDs of an image's layers (image-spec config.md): the first is the first diffID, each next one is
/// <c>sha256(previous + " " + diffID)</c>. containerd names committed layer snapshots by them.
/// </summary>
public static class ChainIds
{
    public static IReadOnlyList<string> Compute(IReadOnlyList<string> diffIds)
    {
        var chain = new List<string>(diffIds.Count);
        foreach (var diffId in diffIds)
        {
            chain.Add(chain.Count == 0
                ? diffId
                : "sha256:" + System.Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(chain[^1] + " " + diffId))));
        }

        return chain;
    }
}
