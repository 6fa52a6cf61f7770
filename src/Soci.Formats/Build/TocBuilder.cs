using Soci.Formats.Tar;
using Soci.Formats.Toc;

namespace Soci.Formats.Build;

/// <summary>Turns the entries of an uncompressed tar stream into ztoc file metadata (formats §1.4).</summary>
public static class TocBuilder
{
    /// <summary>Reads the whole archive; returns the entries in tar order and the reader's end position.</summary>
    public static (List<FileMetadata> Files, long UncompressedArchiveSize) Read(Stream tar)
    {
        var reader = new TarReader(tar);
        var files = new List<FileMetadata>();
        while (reader.Next() is { } entry)
        {
            files.Add(new FileMetadata
            {
                Name = entry.Name,
                Type = TypeName(entry.Typeflag),
                UncompressedOffset = entry.DataOffset,
                UncompressedSize = entry.Size,
                Linkname = entry.Linkname,
                Mode = entry.Mode,
                Uid = unchecked((uint)entry.Uid),
                Gid = unchecked((uint)entry.Gid),
                Uname = entry.Uname,
                Gname = entry.Gname,
                ModTime = entry.ModTime,
                DevMajor = entry.DevMajor,
                DevMinor = entry.DevMinor,
                PaxRecords = entry.PaxRecords,
            });
        }
        return (files, reader.Position);
    }

    private static readonly ByteString Reg = ByteString.FromString("reg");
    private static readonly ByteString Dir = ByteString.FromString("dir");
    private static readonly ByteString Symlink = ByteString.FromString("symlink");
    private static readonly ByteString Hardlink = ByteString.FromString("hardlink");
    private static readonly ByteString Char = ByteString.FromString("char");
    private static readonly ByteString Block = ByteString.FromString("block");
    private static readonly ByteString Fifo = ByteString.FromString("fifo");

    private static ByteString TypeName(byte typeflag) => typeflag switch
    {
        (byte)'0' => Reg,
        (byte)'1' => Hardlink,
        (byte)'2' => Symlink,
        (byte)'3' => Char,
        (byte)'4' => Block,
        (byte)'5' => Dir,
        (byte)'6' => Fifo,
        _ => throw new TarFormatException($"unsupported input tar entry {Describe(typeflag)}"),
    };

    private static string Describe(byte typeflag) =>
        typeflag is >= 0x20 and < 0x7f ? $"'{(char)typeflag}'" : $"'\\x{typeflag:x2}'";
}
