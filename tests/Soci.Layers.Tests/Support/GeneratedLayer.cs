using System.Formats.Tar;
using System.IO.Compression;

namespace Soci.Layers.Tests.Support;

/// <summary>
/// A gzip layer of many incompressible files of varied sizes, so that reads of single files touch few spans. Written at
/// the optimal level: zlib-ng's fastest level emits deflate blocks of many megabytes, and spans can only start at block
/// boundaries.
/// </summary>
public static class GeneratedLayer
{
    public static string FileName(int index) => $"data/{index / 50:D2}/file-{index:D4}.bin";

    /// <summary>Writes <paramref name="files"/> files of 1 KiB .. <paramref name="maxFileBytes"/> bytes; returns their sizes.</summary>
    public static IReadOnlyList<int> Write(string path, int files, int maxFileBytes, int seed = 1)
    {
        var random = new Random(seed);
        var sizes = new List<int>();
        using var output = File.Create(path);
        using var gzip = new GZipStream(output, CompressionLevel.Optimal);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        var content = new byte[maxFileBytes];
        for (var i = 0; i < files; i++)
        {
            var size = random.Next(1024, maxFileBytes);
            random.NextBytes(content.AsSpan(0, size));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, FileName(i))
            {
                DataStream = new MemoryStream(content, 0, size, writable: false),
                Mode = (UnixFileMode)0x1A4,
                ModificationTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            });
            sizes.Add(size);
        }
        return sizes;
    }
}
