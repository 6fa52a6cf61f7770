using System.Security.Cryptography;

namespace Soci.Layers.Tests.Support;

/// <summary>Reads a directory tree as it is (lstat, readlink, xattrs, sha256 of every regular file).</summary>
public static class TreeWalker
{
    public static Dictionary<string, TreeEntry> Walk(string root)
    {
        var entries = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        Walk(root, "", entries);
        return entries;
    }

    private static void Walk(string root, string relative, Dictionary<string, TreeEntry> entries)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(relative.Length == 0 ? root : Path.Combine(root, relative)))
        {
            var name = relative.Length == 0 ? Path.GetFileName(path) : relative + "/" + Path.GetFileName(path);
            var entry = Describe(path);
            entries[name] = entry;
            if (entry.Type == "dir")
            {
                Walk(root, name, entries);
            }
        }
    }

    public static TreeEntry Describe(string path)
    {
        var stat = Native.LStat(path);
        var type = (stat.Mode & 0xF000) switch
        {
            0x4000 => "dir",
            0x8000 => "reg",
            0xA000 => "symlink",
            0x2000 => "char",
            0x6000 => "block",
            0x1000 => "fifo",
            var other => $"type-{other:x}",
        };
        return new TreeEntry(type)
        {
            Permissions = stat.Mode & 0xFFF,
            Uid = stat.Uid,
            Gid = stat.Gid,
            Size = stat.Size,
            MtimeTicks = (stat.MtimeSeconds * TimeSpan.TicksPerSecond) + (stat.MtimeNanoseconds / 100),
            LinkTarget = type == "symlink" ? new FileInfo(path).LinkTarget : null,
            DeviceMajor = stat.Major,
            DeviceMinor = stat.Minor,
            Sha256 = type == "reg" ? Hash(path) : null,
            LinkCount = stat.Nlink,
            Xattrs = TreeEntry.FormatXattrs(Native.Xattrs(path)),
        };
    }

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
