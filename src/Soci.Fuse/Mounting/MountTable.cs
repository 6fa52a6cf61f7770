namespace Soci.Fuse.Mounting;

/// <summary>Reads /proc/self/mountinfo.</summary>
internal static class MountTable
{
    /// <summary>The minor device number of the mount at <paramref name="mountPoint"/>, which is also the FUSE
    /// connection number under /sys/fs/fuse/connections; null when nothing is mounted there.</summary>
    public static int? FindDeviceMinor(string mountPoint)
    {
        // Fields: id parent major:minor root mount-point ...; spaces in paths are octal-escaped.
        var escaped = mountPoint.Replace("\\", "\\134", StringComparison.Ordinal).Replace(" ", "\\040", StringComparison.Ordinal);
        int? found = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && fields[4] == escaped)
            {
                var device = fields[2];
                found = int.Parse(device.AsSpan(device.IndexOf(':', StringComparison.Ordinal) + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return found;
    }

    public static bool IsMounted(string mountPoint) => FindDeviceMinor(mountPoint) is not null;
}
