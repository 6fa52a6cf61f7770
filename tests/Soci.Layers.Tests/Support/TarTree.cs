using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Soci.Layers.Tests.Support;

/// <summary>Which way a layer is presented: lazily over FUSE, or unpacked into a directory.</summary>
public enum Presentation
{
    Lazy,
    Unpacked,
}

/// <summary>
/// The expected tree of one layer, read with .NET's own tar reader (independent of the code under test): entries
/// with their metadata and content hashes, hard links sharing their target's description, whiteouts as 0:0
/// character devices, opaque directories carrying <c>trusted.overlay.opaque=y</c>, missing parents as plain directories.
/// </summary>
public static class TarTree
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    public static Dictionary<string, TreeEntry> Expected(string gzipLayer, Presentation presentation)
    {
        var entries = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        var linkCounts = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var hardLinks = new List<(string Name, string Target)>();
        var opaque = new HashSet<string>(StringComparer.Ordinal);
        using var file = File.OpenRead(gzipLayer);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            var name = Clean(entry.Name);
            if (name.Length == 0)
            {
                continue;
            }
            var (parent, baseName) = Split(name);
            AddParents(parent, entries);
            if (baseName == OpaqueMarker)
            {
                opaque.Add(parent);
                continue;
            }
            if (baseName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var target = parent.Length == 0 ? baseName[WhiteoutPrefix.Length..] : parent + "/" + baseName[WhiteoutPrefix.Length..];
                entries[target] = new TreeEntry("char")
                {
                    Permissions = 0,
                    DeviceMajor = 0,
                    DeviceMinor = 0,
                    Uid = presentation == Presentation.Lazy ? 0 : (uint)entry.Uid,
                    Gid = presentation == Presentation.Lazy ? 0 : (uint)entry.Gid,
                    MtimeTicks = presentation == Presentation.Lazy ? Ticks(entry.ModificationTime) : null,
                };
                continue;
            }
            if (entry.EntryType == TarEntryType.HardLink)
            {
                hardLinks.Add((name, Clean(entry.LinkName)));
                var target = Clean(entry.LinkName);
                linkCounts[target] = linkCounts.GetValueOrDefault(target, 1UL) + 1;
                entries[name] = entries[target];
                continue;
            }
            entries[name] = Describe(entry);
            linkCounts[name] = 1;
        }
        foreach (var directory in opaque)
        {
            var existing = entries[directory];
            var xattrs = (existing.Xattrs ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Append("trusted.overlay.opaque=y");
            entries[directory] = existing with { Xattrs = string.Join("\n", xattrs.Order(StringComparer.Ordinal)) };
        }
        foreach (var (name, target) in hardLinks)
        {
            entries[name] = entries[target] = entries[target] with { LinkCount = linkCounts[target] };
        }
        return entries;
    }

    /// <summary>Every difference between the expected and the actual tree, one line each.</summary>
    public static List<string> Compare(Dictionary<string, TreeEntry> expected, Dictionary<string, TreeEntry> actual)
    {
        var problems = new List<string>();
        foreach (var (path, entry) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(path, out var got))
            {
                problems.Add($"{path}: missing");
                continue;
            }
            problems.AddRange(entry.DifferencesFrom(got).Select(d => $"{path}: {d}"));
        }
        problems.AddRange(actual.Keys.Where(path => !expected.ContainsKey(path)).Select(path => $"{path}: not in the layer"));
        return problems;
    }

    private static TreeEntry Describe(TarEntry entry)
    {
        var type = entry.EntryType switch
        {
            TarEntryType.Directory => "dir",
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => "reg",
            TarEntryType.SymbolicLink => "symlink",
            TarEntryType.CharacterDevice => "char",
            TarEntryType.BlockDevice => "block",
            TarEntryType.Fifo => "fifo",
            var other => throw new InvalidDataException($"{entry.Name}: unexpected entry type {other}"),
        };
        var xattrs = entry is PaxTarEntry pax
            ? pax.ExtendedAttributes.Where(a => a.Key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                .Select(a => KeyValuePair.Create(a.Key["SCHILY.xattr.".Length..], a.Value))
            : [];
        return new TreeEntry(type)
        {
            Permissions = type == "symlink" ? null : (uint)entry.Mode,
            Uid = (uint)entry.Uid,
            Gid = (uint)entry.Gid,
            Size = type is "reg" ? entry.Length : type == "symlink" ? System.Text.Encoding.UTF8.GetByteCount(entry.LinkName) : null,
            MtimeTicks = Ticks(entry.ModificationTime),
            LinkTarget = type == "symlink" ? entry.LinkName : null,
            DeviceMajor = type is "char" or "block" ? (uint)((PosixTarEntry)entry).DeviceMajor : null,
            DeviceMinor = type is "char" or "block" ? (uint)((PosixTarEntry)entry).DeviceMinor : null,
            Sha256 = type == "reg" ? Hash(entry) : null,
            LinkCount = type == "reg" ? 1 : null,
            Xattrs = TreeEntry.FormatXattrs(xattrs),
        };
    }

    private static string Hash(TarEntry entry)
    {
        using var data = entry.DataStream ?? Stream.Null;
        return Convert.ToHexStringLower(SHA256.HashData(data));
    }

    private static long Ticks(DateTimeOffset time) => time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    private static void AddParents(string parent, Dictionary<string, TreeEntry> entries)
    {
        while (parent.Length > 0 && !entries.ContainsKey(parent))
        {
            entries[parent] = new TreeEntry("dir");
            parent = Split(parent).Parent;
        }
    }

    private static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
    }

    public static string Clean(string name) =>
        string.Join("/", name.Split('/').Where(part => part.Length > 0 && part != "."));
}
