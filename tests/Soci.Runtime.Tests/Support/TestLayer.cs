using System.Formats.Tar;
using System.IO.Compression;
using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Runtime.Tests.Support;

/// <summary>A gzip tar layer made in the test (files with seeded random contents) and its ztoc.</summary>
public sealed record TestLayer(byte[] Blob, IReadOnlyDictionary<string, byte[]> Files, Ztoc Ztoc, byte[] ZtocBytes)
{
    public const long SpanSize = 64 * 1024;

    public string Digest => Soci.Actors.Registry.ContentDigest.Of(Blob);

    public string ZtocDigest => Soci.Actors.Registry.ContentDigest.Of(ZtocBytes);

    /// <summary>A small file first, then larger incompressible ones, so the layer has many spans.</summary>
    public static TestLayer Create(int seed, int largeFiles = 3, int largeFileBytes = 512 * 1024)
    {
        var random = new Random(seed);
        var files = new Dictionary<string, byte[]> { [$"small-{seed}.txt"] = System.Text.Encoding.UTF8.GetBytes($"hello from layer {seed}\n") };
        for (var i = 0; i < largeFiles; i++)
        {
            var content = new byte[largeFileBytes];
            random.NextBytes(content);
            files[$"data/large-{seed}-{i}.bin"] = content;
        }

        var blob = Compress(files);
        var ztoc = ZtocParser.Parse(ZtocSerializer.Serialize(new ZtocBuilder().Build(new MemoryStream(blob), "gzip", SpanSize)));
        return new TestLayer(blob, files, ztoc, ZtocSerializer.Serialize(ztoc));
    }

    public string WriteTo(string directory)
    {
        var path = Path.Combine(directory, Soci.Actors.Registry.ContentDigest.Hex(Digest) + ".tar.gz");
        File.WriteAllBytes(path, Blob);
        return path;
    }

    public byte[] UncompressedTar()
    {
        using var gzip = new GZipStream(new MemoryStream(Blob), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    private static byte[] Compress(Dictionary<string, byte[]> files)
    {
        var output = new MemoryStream();
        // zlib-ng's fastest level emits deflate blocks of megabytes, and spans can only start at block boundaries.
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var directory in files.Keys.Select(Path.GetDirectoryName).Where(d => !string.IsNullOrEmpty(d)).Distinct())
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = (UnixFileMode)0b111_101_101 });
            }

            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    Mode = (UnixFileMode)0b110_100_100,
                });
            }
        }

        return output.ToArray();
    }
}
