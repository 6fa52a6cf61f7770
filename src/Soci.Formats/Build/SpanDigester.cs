using System.Security.Cryptography;
using Soci.Formats.Toc;
using Soci.Formats.Compression;

namespace Soci.Formats.Build;

/// <summary>Computes the sha256 of each span's compressed byte range (formats §4) by re-reading the layer file
/// (uncompressed layers; gzip layers get theirs while they are inflated).</summary>
internal static class SpanDigester
{
    public static List<string> Compute(Stream layer, Zinfo zinfo)
    {
        var digests = new List<string>(Math.Max(zinfo.SpanCount, 0));
        var buffer = new byte[256 * 1024];
        for (var span = 0; span < zinfo.SpanCount; span++)
        {
            var start = zinfo.StartCompressedOffset(span);
            var remaining = zinfo.EndCompressedOffset(span) - start;
            layer.Seek(start, SeekOrigin.Begin);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            while (remaining > 0)
            {
                var read = layer.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                {
                    throw new ZtocFormatException($"layer ended inside span {span}");
                }
                hash.AppendData(buffer, 0, read);
                remaining -= read;
            }
            digests.Add("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        return digests;
    }
}
