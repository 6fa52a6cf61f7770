using System.Runtime.InteropServices;

namespace Soci.Fuse.Tests.Interop;

/// <summary>poll(2) on a file, which .NET does not expose for regular files.</summary>
public static partial class FilePoll
{
    public const short PollIn = 0x1;

    /// <summary>Returns the ready events of <paramref name="path"/> for <paramref name="events"/>.</summary>
    public static short Poll(string path, short events)
    {
        using var file = File.OpenHandle(path);
        var fds = new PollFd { Fd = (int)file.DangerousGetHandle(), Events = events };
        if (PollNative(ref fds, 1, 5000) < 0)
        {
            throw new IOException($"poll {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        return fds.Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollNative(ref PollFd fds, ulong count, int timeoutMs);
}
