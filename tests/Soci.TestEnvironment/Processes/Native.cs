using System.Runtime.InteropServices;

namespace Soci.TestEnvironment.Processes;

/// <summary>The few system calls teardown needs; errno comes back as a value.</summary>
internal static partial class Native
{
    public const int MntForce = 1;
    public const int MntDetach = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static int Unmount(string target, int flags) => Umount2(target, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static int Signal(int pid, int signal) => Kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
