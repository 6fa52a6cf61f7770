using System.Text;
using System.Text.RegularExpressions;

namespace Soci.Cli.Commands;

/// <summary>
/// Resolves the ztoc argument of <c>ztoc info</c>/<c>get-file</c>: a ztoc file path, or a digest looked up as a blob
/// in the content store selected by <c>--content-store</c> (the artifacts database is not consulted yet).
/// </summary>
internal static partial class ZtocBlobLocator
{
    public const string ContainerdBlobs = "/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256";

    public static byte[] Load(string argument, string contentStore, string root)
    {
        if (File.Exists(argument))
        {
            return File.ReadAllBytes(argument);
        }
        if (!DigestPattern().IsMatch(argument))
        {
            throw new ArgumentException($"invalid ztoc digest or file '{argument}'");
        }
        var blobs = contentStore == "soci" ? Path.Combine(root, "content", "blobs", "sha256") : ContainerdBlobs;
        var path = Path.Combine(blobs, argument["sha256:".Length..]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ztoc {argument} not found in the {contentStore} content store ({blobs})");
        }
        var bytes = File.ReadAllBytes(path);
        if (LooksLikeSociIndex(bytes))
        {
            throw new ArgumentException("the provided digest belongs to a SOCI index. Use `soci index info` to get the detailed information about it");
        }
        return bytes;
    }

    private static bool LooksLikeSociIndex(byte[] bytes) =>
        bytes.Length > 0 && bytes[0] == (byte)'{' && Encoding.UTF8.GetString(bytes).Contains("application/vnd.amazon.soci.index.", StringComparison.Ordinal);

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
