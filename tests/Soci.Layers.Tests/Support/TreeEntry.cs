namespace Soci.Layers.Tests.Support;

/// <summary>What one path of a layer tree looks like; a null field is not compared.</summary>
public sealed record TreeEntry(string Type)
{
    public uint? Permissions { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public long? Size { get; init; }
    /// <summary>Modification time in 100 ns ticks since the Unix epoch (what a tar reader can represent).</summary>
    public long? MtimeTicks { get; init; }
    public string? LinkTarget { get; init; }
    public uint? DeviceMajor { get; init; }
    public uint? DeviceMinor { get; init; }
    public string? Sha256 { get; init; }
    public ulong? LinkCount { get; init; }
    /// <summary>Xattrs as <c>name=value</c> lines in name order.</summary>
    public string? Xattrs { get; init; }

    public IEnumerable<string> DifferencesFrom(TreeEntry actual)
    {
        if (Type != actual.Type)
        {
            yield return $"type {actual.Type}, expected {Type}";
            yield break;
        }
        foreach (var (name, expected, got) in new (string, object?, object?)[]
        {
            ("permissions", Permissions, actual.Permissions), ("uid", Uid, actual.Uid), ("gid", Gid, actual.Gid),
            ("size", Size, actual.Size), ("mtime", MtimeTicks, actual.MtimeTicks), ("link target", LinkTarget, actual.LinkTarget),
            ("device major", DeviceMajor, actual.DeviceMajor), ("device minor", DeviceMinor, actual.DeviceMinor),
            ("sha256", Sha256, actual.Sha256), ("link count", LinkCount, actual.LinkCount), ("xattrs", Xattrs, actual.Xattrs),
        })
        {
            if (expected is not null && !expected.Equals(got))
            {
                yield return $"{name} {got ?? "(none)"}, expected {expected}";
            }
        }
    }

    public static string FormatXattrs(IEnumerable<KeyValuePair<string, string>> xattrs) =>
        string.Join("\n", xattrs.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}"));
}
