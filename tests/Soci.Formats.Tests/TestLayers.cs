using System.Formats.Tar;
using System.IO.Compression;

namespace Soci.Formats.Tests;

/// <summary>Builds small tar/gzip layers for tests in a temp directory the test owns.</summary>
public sealed class TestLayers : IDisposable
{
    public TestLayers() => Directory = System.IO.Directory.CreateTempSubdirectory("soci-formats-").FullName;

    public string Directory { get; }

    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A PAX tar of regular files (name → content), ended by two zero blocks.</summary>
    public static byte[] Tar(params (string Name, byte[] Content)[] files)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    ModificationTime = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero),
                };
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Deterministic incompressible-ish bytes, so spans have realistic sizes.</summary>
    public static byte[] Noise(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        // Make half of it compressible so blocks vary.
        for (var i = 0; i < length; i += 2)
        {
            bytes[i] = (byte)(i % 17);
        }
        return bytes;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
