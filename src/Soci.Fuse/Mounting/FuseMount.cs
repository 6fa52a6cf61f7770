using System.Diagnostics;
using System.Globalization;
using Soci.Fuse.Interop;

namespace Soci.Fuse.Mounting;

/// <summary>
/// A mounted FUSE connection: the /dev/fuse descriptor and the mount point it serves. Creating one mounts;
/// <see cref="Unmount"/> takes the mount down; <see cref="Dispose"/> closes the descriptor.
/// </summary>
public sealed class FuseMount : IDisposable
{
    private const int EPERM = 1;
    private int _fd;

    private FuseMount(int fd, string mountPoint, bool viaFusermount)
    {
        _fd = fd;
        MountPoint = mountPoint;
        MountedWithFusermount = viaFusermount;
        ConnectionId = MountTable.FindDeviceMinor(mountPoint)
            ?? throw new FuseException($"mount at {mountPoint} succeeded but is missing from /proc/self/mountinfo");
    }

    public string MountPoint { get; }

    /// <summary>The N of /sys/fs/fuse/connections/N.</summary>
    public int ConnectionId { get; }

    public bool MountedWithFusermount { get; }

    /// <summary>Whether the mount point still shows this kind of mount in /proc/self/mountinfo.</summary>
    public bool IsMounted => MountTable.IsMounted(MountPoint);

    /// <summary>The /dev/fuse descriptor; -1 after Dispose.</summary>
    public int Fd => Volatile.Read(ref _fd);

    /// <summary>Mounts an empty FUSE connection at <paramref name="mountPoint"/>; requests start with INIT.</summary>
    public static FuseMount Create(string mountPoint, FuseMountOptions options)
    {
        mountPoint = Path.GetFullPath(mountPoint).TrimEnd('/');
        if (!Directory.Exists(mountPoint))
        {
            throw new FuseException($"mount point {mountPoint} is not a directory");
        }
        if (options.Method == FuseMountMethod.Fusermount)
        {
            return MountWithFusermount(mountPoint, options);
        }
        var fd = Libc.Open("/dev/fuse", Libc.ORdwr | Libc.OCloexec);
        if (fd < 0)
        {
            throw new FuseException($"cannot open /dev/fuse: errno {-fd}");
        }
        var data = string.Join(',', DirectMountData(fd, options));
        var flags = Libc.MsNosuid | Libc.MsNodev | (options.ReadOnly ? Libc.MsRdonly : 0);
        var rc = Libc.Mount(options.FsName, mountPoint, "fuse." + options.Subtype, flags, data);
        if (rc == 0)
        {
            return new FuseMount(fd, mountPoint, viaFusermount: false);
        }
        Libc.Close(fd);
        if (rc == -EPERM && options.Method == FuseMountMethod.Auto)
        {
            return MountWithFusermount(mountPoint, options);
        }
        throw new FuseException($"mount(2) of {mountPoint} failed: errno {-rc}");
    }

    /// <summary>Takes the mount down; the serving threads see ENODEV and stop.</summary>
    public void Unmount(FuseUnmountMode mode)
    {
        if (mode == FuseUnmountMode.Abort)
        {
            Abort();
        }
        var flags = mode switch
        {
            FuseUnmountMode.Detach or FuseUnmountMode.Abort => Libc.MntDetach,
            FuseUnmountMode.Force => Libc.MntForce,
            _ => 0,
        };
        var rc = Libc.Umount2(MountPoint, flags);
        if (rc == -EPERM && MountedWithFusermount)
        {
            RunFusermount(flags == 0 ? ["-u", MountPoint] : ["-u", "-z", MountPoint]);
            return;
        }
        if (rc != 0)
        {
            throw new FuseException($"umount2({MountPoint}, {mode}) failed: errno {-rc}");
        }
    }

    /// <summary>Aborts the connection: every pending and future request fails (ECONNABORTED/ENOTCONN).</summary>
    public void Abort()
    {
        EnsureControlFilesystem();
        File.WriteAllText($"{ControlDirectory}/{ConnectionId.ToString(CultureInfo.InvariantCulture)}/abort", "1");
    }

    private const string ControlDirectory = "/sys/fs/fuse/connections";

    /// <summary>The per-connection abort files live in fusectl, which distributions do not always mount.</summary>
    private static void EnsureControlFilesystem()
    {
        if (MountTable.IsMounted(ControlDirectory))
        {
            return;
        }
        var rc = Libc.Mount("fusectl", ControlDirectory, "fusectl", 0, "");
        if (rc != 0 && MountTable.IsMounted(ControlDirectory) is false)
        {
            throw new FuseException($"cannot mount fusectl at {ControlDirectory}: errno {-rc}");
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Libc.Close(fd);
        }
    }

    private static IEnumerable<string> DirectMountData(int fd, FuseMountOptions options)
    {
        yield return "fd=" + fd.ToString(CultureInfo.InvariantCulture);
        yield return "rootmode=40000";
        yield return "user_id=" + Libc.GetEffectiveUserId().ToString(CultureInfo.InvariantCulture);
        yield return "group_id=" + Libc.GetEffectiveGroupId().ToString(CultureInfo.InvariantCulture);
        if (options.AllowOther)
        {
            yield return "allow_other";
        }
        if (options.DefaultPermissions)
        {
            yield return "default_permissions";
        }
    }

    private static FuseMount MountWithFusermount(string mountPoint, FuseMountOptions options)
    {
        var rc = Libc.SocketPair(out var ours, out var theirs);
        if (rc != 0)
        {
            throw new FuseException($"socketpair failed: errno {-rc}");
        }
        try
        {
            var mountOptions = new List<string> { options.ReadOnly ? "ro" : "rw", "nosuid", "nodev", "fsname=" + options.FsName, "subtype=" + options.Subtype };
            if (options.AllowOther)
            {
                mountOptions.Add("allow_other");
            }
            if (options.DefaultPermissions)
            {
                mountOptions.Add("default_permissions");
            }
            // fusermount3 opens /dev/fuse, mounts, and passes the descriptor back over _FUSE_COMMFD.
            var start = new ProcessStartInfo("fusermount3") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-o", string.Join(',', mountOptions), "--", mountPoint })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["_FUSE_COMMFD"] = theirs.ToString(CultureInfo.InvariantCulture);
            using var process = Process.Start(start) ?? throw new FuseException("cannot start fusermount3");
            Libc.Close(theirs);
            theirs = -1;
            var fd = Libc.ReceiveDescriptor(ours);
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (fd < 0 || process.ExitCode != 0)
            {
                if (fd >= 0)
                {
                    Libc.Close(fd);
                }
                throw new FuseException($"fusermount3 could not mount {mountPoint} (exit {process.ExitCode}): {stderr.Trim()}");
            }
            return new FuseMount(fd, mountPoint, viaFusermount: true);
        }
        finally
        {
            Libc.Close(ours);
            if (theirs >= 0)
            {
                Libc.Close(theirs);
            }
        }
    }

    private static void RunFusermount(string[] args)
    {
        var start = new ProcessStartInfo("fusermount3") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new FuseException("cannot start fusermount3");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new FuseException($"fusermount3 {string.Join(' ', args)} failed: {stderr.Trim()}");
        }
    }
}
