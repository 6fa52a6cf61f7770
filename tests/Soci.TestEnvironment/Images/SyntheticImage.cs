using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Soci.TestEnvironment.Images;

/// <summary>
/// A small image for fast tests, with every tar entry kind a layer can hold: directories with unusual modes,
/// regular, empty and setuid files, hard links, relative/absolute/dangling symlinks, character and block devices,
/// a fifo, PAX xattrs, long and unicode names, large ids, sub-second mtimes, a whiteout and an opaque directory;
/// plus one layer large enough (12 MiB) to get a ztoc under the default 10 MiB minimum.
/// </summary>
public static class SyntheticImage
{
    public const string Tag = "synthetic";
    public const int LargeFileBytes = 12 << 20;
    public static readonly DateTimeOffset MTime = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    public static readonly string LongName =
        "dir/" + string.Concat(Enumerable.Repeat("long-name-segment-", 7)) + "end.txt";

    /// <summary>Regular files of the final (merged) tree and their contents.</summary>
    public static IReadOnlyDictionary<string, byte[]> FinalFiles { get; } = new Dictionary<string, byte[]>
    {
        ["etc/hello.txt"] = Encoding.UTF8.GetBytes("hello from the synthetic image\n"),
        ["etc/empty"] = [],
        ["usr/bin/tool"] = Encoding.UTF8.GetBytes("#!/bin/sh\necho tool\n"),
        ["dir/xattr-file"] = Encoding.UTF8.GetBytes("file with xattrs\n"),
        [LongName] = Encoding.UTF8.GetBytes("a name longer than 100 bytes\n"),
        ["dir/ünïcødé.txt"] = Encoding.UTF8.GetBytes("unicode name\n"),
        ["opaque/new-only"] = Encoding.UTF8.GetBytes("the only file left in the opaque directory\n"),
        ["big/random.bin"] = LargeFileContent(),
    };

    /// <summary>Writes the image as an OCI layout (tag <see cref="Tag"/>) and returns the manifest descriptor.</summary>
    public static BlobDescriptor WriteLayout(string directory)
    {
        var layout = new OciLayoutWriter(directory);
        foreach (var tar in new[] { BaseLayer(), ChangesLayer(), LargeLayer() })
        {
            layout.AddLayer(Gzip(tar), tar);
        }

        return layout.Finish(Tag, ["/usr/bin/tool"]);
    }

    private static byte[] BaseLayer() => Tar(writer =>
    {
        Dir(writer, "etc", "755");
        Dir(writer, "private", "700");
        Dir(writer, "tmp", "1777");
        File(writer, "etc/hello.txt", FinalFiles["etc/hello.txt"], "644");
        // A hard link must name a file of its own layer: containerd links within one snapshot directory.
        Link(writer, TarEntryType.HardLink, "etc/hardlink-to-hello", "etc/hello.txt");
        File(writer, "etc/removed-later", Encoding.UTF8.GetBytes("whited out by layer 2\n"), "644");
        Dir(writer, "opaque", "755");
        File(writer, "opaque/hidden-by-opaque", Encoding.UTF8.GetBytes("hidden by the opaque marker\n"), "644");
        Dir(writer, "usr", "755");
        Dir(writer, "usr/bin", "755");
        File(writer, "usr/bin/tool", FinalFiles["usr/bin/tool"], "4755");
    });

    private static byte[] ChangesLayer() => Tar(writer =>
    {
        File(writer, "etc/.wh.removed-later", [], "644");
        File(writer, "etc/empty", [], "600", uid: 3000000, gid: 3000000);
        Dir(writer, "opaque", "755");
        File(writer, "opaque/.wh..wh..opq", [], "644");
        File(writer, "opaque/new-only", FinalFiles["opaque/new-only"], "644");
        Dir(writer, "dir", "755");
        var xattrFile = new PaxTarEntry(TarEntryType.RegularFile, "dir/xattr-file", new Dictionary<string, string>
        {
            ["SCHILY.xattr.user.soci-test"] = "value",
            ["SCHILY.xattr.user.another"] = "second",
        })
        {
            DataStream = new MemoryStream(FinalFiles["dir/xattr-file"]),
            Mode = Mode("644"),
            ModificationTime = MTime,
        };
        writer.WriteEntry(xattrFile);
        File(writer, LongName, FinalFiles[LongName], "644");
        File(writer, "dir/ünïcødé.txt", FinalFiles["dir/ünïcødé.txt"], "644");
        Link(writer, TarEntryType.SymbolicLink, "dir/relative-link", "../etc/hello.txt");
        Link(writer, TarEntryType.SymbolicLink, "dir/absolute-link", "/etc/hello.txt");
        Link(writer, TarEntryType.SymbolicLink, "dir/dangling-link", "/does/not/exist");
        Device(writer, TarEntryType.CharacterDevice, "dir/char-device", 1, 3);
        Device(writer, TarEntryType.BlockDevice, "dir/block-device", 7, 0);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "dir/fifo") { Mode = Mode("644"), ModificationTime = MTime });
    });

    private static byte[] LargeLayer() => Tar(writer =>
    {
        Dir(writer, "big", "755");
        File(writer, "big/random.bin", FinalFiles["big/random.bin"], "644");
    });

    private static byte[] LargeFileContent()
    {
        // Deterministic but incompressible, so the gzip layer really exceeds the ztoc minimum size.
        var content = new byte[LargeFileBytes];
        var block = SHA256.HashData("soci synthetic image"u8);
        for (var offset = 0; offset < content.Length; offset += block.Length)
        {
            block = SHA256.HashData(block);
            block.CopyTo(content.AsSpan(offset));
        }

        return content;
    }

    private static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return buffer.ToArray();
    }

    /// <summary>Permission bits written as `chmod` takes them (C# has no octal literals).</summary>
    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    private static void Dir(TarWriter writer, string name, string mode) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = Mode(mode), ModificationTime = MTime });

    private static void File(TarWriter writer, string name, byte[] content, string mode, int uid = 0, int gid = 0) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = Mode(mode),
            Uid = uid,
            Gid = gid,
            ModificationTime = MTime,
        });

    private static void Link(TarWriter writer, TarEntryType type, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(type, name) { LinkName = target, Mode = Mode("777"), ModificationTime = MTime });

    private static void Device(TarWriter writer, TarEntryType type, string name, int major, int minor) =>
        writer.WriteEntry(new PaxTarEntry(type, name)
        {
            DeviceMajor = major,
            DeviceMinor = minor,
            Mode = Mode("644"),
            ModificationTime = MTime,
        });
}
