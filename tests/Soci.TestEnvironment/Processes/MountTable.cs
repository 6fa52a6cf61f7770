namespace Soci.TestEnvironment.Processes;

/// <summary>Finds and removes the mounts below a directory, deepest first, so teardown never touches other mounts.</summary>
public static class MountTable
{
    /// <summary>Mount points at or below <paramref name="root"/>, from /proc/self/mountinfo (octal escapes decoded).</summary>
    public static IReadOnlyList<string> MountsUnder(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point == prefix || point.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(point => point.Count(c => c == '/'))
            .ToList();
    }

    /// <summary>Unmounts everything below <paramref name="root"/>; lazily (MNT_DETACH) when a mount is busy.</summary>
    public static void UnmountAllUnder(string root)
    {
        // Stacked mounts on one point need one unmount each, hence the outer loop.
        for (var round = 0; round < 10; round++)
        {
            var mounts = MountsUnder(root);
            if (mounts.Count == 0)
            {
                return;
            }

            foreach (var point in mounts)
            {
                if (Native.Unmount(point, 0) != 0)
                {
                    Native.Unmount(point, Native.MntDetach);
                }
            }
        }
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal)
            .Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal)
            .Replace("\\134", "\\", StringComparison.Ordinal);
}
