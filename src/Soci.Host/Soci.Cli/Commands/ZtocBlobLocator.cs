using System.Text;
using Soci.Actors.Artifacts;
using Soci.Actors.Registry;

namespace Soci.Cli.Commands;

/// <summary>
/// Resolves the ztoc argument of <c>ztoc info</c>/<c>get-file</c>: a ztoc file path (our extension), or a digest
/// read from the content store <c>--content-store</c> selects.
/// </summary>
internal static class ZtocBlobLocator
{
    private const string IndexDigestMessage =
        "the provided digest belongs to a SOCI index. Use `soci index info` to get the detailed information about it";

    /// <summary>The bytes of the ztoc file the argument names, or null when it names no file.</summary>
    public static byte[]? TryReadFile(string argument) => File.Exists(argument) ? File.ReadAllBytes(argument) : null;

    /// <summary>The argument as a ztoc digest; checked before anything local is opened.</summary>
    public static string ParseDigest(string argument) =>
        ContentDigest.IsValid(argument) ? argument : throw new ArgumentException($"invalid ztoc digest or file '{argument}'");

    /// <summary>The ztoc blob from the content store; an index digest is refused with upstream's hint.</summary>
    public static async Task<byte[]> LoadAsync(LocalArtifacts artifacts, string digest, CancellationToken cancellationToken)
    {
        if (artifacts.Database.Get(digest) is { Type: ArtifactEntry.IndexType })
        {
            throw new ArtifactStoreException(IndexDigestMessage);
        }

        var bytes = await artifacts.Store.TryReadAsync(digest, cancellationToken).ConfigureAwait(false)
                    ?? throw new ArtifactStoreException($"ztoc {digest} not found in the {artifacts.Store.Kind} content store");
        // An index the database does not know (e.g. before `soci rebuild-db`) is still told apart from a ztoc.
        if (LooksLikeSociIndex(bytes))
        {
            throw new ArtifactStoreException(IndexDigestMessage);
        }

        return bytes;
    }

    private static bool LooksLikeSociIndex(byte[] bytes) =>
        bytes.Length > 0 && bytes[0] == (byte)'{' && Encoding.UTF8.GetString(bytes).Contains("application/vnd.amazon.soci.index.", StringComparison.Ordinal);
}
