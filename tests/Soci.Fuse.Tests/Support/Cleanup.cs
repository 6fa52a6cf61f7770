using System.Runtime.InteropServices;

namespace Soci.Fuse.Tests.Support;

/// <summary>Last-resort cleanup: detaches every mount below a test's own directory, deepest first.</summary>
public static partial class Cleanup
{
    private const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    public static void UnmountEverythingUnder(string root)
    {
        var mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(mp => mp.StartsWith(root + "/", StringComparison.Ordinal))
            .OrderByDescending(mp => mp.Length);
        foreach (var mountPoint in mounts)
        {
            _ = Umount2(mountPoint, MntDetach);
        }
    }
}
