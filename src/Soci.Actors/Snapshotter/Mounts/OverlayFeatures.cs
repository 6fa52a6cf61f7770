namespace Soci.Actors.Snapshotter.Mounts;

/// <summary>
/// Overlay options containerd's overlayfs snapshotter adds depending on the host: <c>index=off</c> when the overlay
/// module has an index parameter, <c>userxattr</c> when running as root of a non-initial user namespace (kernel
/// ≥ 5.11) on a filesystem other than tmpfs.
/// </summary>
public sealed record OverlayFeatures(bool IndexOff, bool UserXattr)
{
    public static OverlayFeatures Detect(string snapshotterRoot) =>
        new(File.Exists("/sys/module/overlay/parameters/index"), NeedsUserXattr(snapshotterRoot));

    private static bool NeedsUserXattr(string directory)
    {
        if (!RunningInUserNamespace())
        {
            // The real root never needs it: trusted.* xattrs work.
            return false;
        }

        // tmpfs does not accept the option.
        return LinuxNative.FileSystemType(directory) != LinuxNative.TmpfsMagic && Environment.OSVersion.Version >= new Version(5, 11);
    }

    /// <summary>The initial user namespace maps the whole id range onto itself: "0 0 4294967295".</summary>
    private static bool RunningInUserNamespace()
    {
        var lines = File.ReadAllLines("/proc/self/uid_map");
        return !(lines.Length == 1 && lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["0", "0", "4294967295"]);
    }
}
