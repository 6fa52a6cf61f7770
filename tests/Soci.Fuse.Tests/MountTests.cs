using Soci.Fuse.FileSystem;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class MountTests
{
    private static MemoryFileSystem Sample()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("file.txt", new BytesContent(new byte[1 << 20]));
        return fs;
    }

    [Fact]
    public void Normal_unmount_stops_the_serving_threads_with_enodev()
    {
        using var mount = TestMount.Start(Sample());
        mount.Session.Unmount(FuseUnmountMode.Normal);

        Assert.False(mount.Session.Mount.IsMounted);
        AssertServingStops(mount.Session);
        Assert.Equal(Errno.ENODEV, mount.Session.StoppedWith);
    }

    [Fact]
    public void Detached_mount_keeps_serving_open_files_until_they_are_closed()
    {
        using var mount = TestMount.Start(Sample());
        using (var open = File.OpenRead(mount.PathOf("file.txt")))
        {
            mount.Session.Unmount(FuseUnmountMode.Detach);
            Assert.False(mount.Session.Mount.IsMounted);
            var buffer = new byte[4096];
            open.Position = 500_000;
            Assert.Equal(4096, open.Read(buffer));
        }
        AssertServingStops(mount.Session);
    }

    [Fact]
    public void Forced_unmount_takes_the_mount_down()
    {
        using var mount = TestMount.Start(Sample());
        mount.Session.Unmount(FuseUnmountMode.Force);

        Assert.False(mount.Session.Mount.IsMounted);
        AssertServingStops(mount.Session);
    }

    [Fact]
    public void Aborting_the_connection_fails_reads_on_open_files_and_stops_serving()
    {
        using var mount = TestMount.Start(Sample());
        using var open = File.OpenRead(mount.PathOf("file.txt"));
        mount.Session.Unmount(FuseUnmountMode.Abort);

        Assert.False(mount.Session.Mount.IsMounted);
        open.Position = 900_000;
        Assert.ThrowsAny<IOException>(() => open.Read(new byte[4096]));
        AssertServingStops(mount.Session);
    }

    [Fact]
    public void Fusermount3_mounts_when_asked_to_and_the_mount_serves_files()
    {
        using var mount = TestMount.Start(Sample(), new FuseMountOptions { Method = FuseMountMethod.Fusermount });

        Assert.True(mount.Session.Mount.MountedWithFusermount);
        var line = File.ReadLines("/proc/mounts").Single(l => l.Split(' ')[1] == mount.MountPoint);
        Assert.StartsWith("soci ", line, StringComparison.Ordinal);
        Assert.Contains(" fuse.soci ro,", line, StringComparison.Ordinal);
        Assert.Equal((1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Tool.Run("stat", "-c", "%s", mount.PathOf("file.txt")).EnsureSuccess().Output);
    }

    [Fact]
    public void Mounting_on_a_missing_directory_fails_with_a_clear_error()
    {
        var error = Assert.Throws<FuseException>(() => FuseSession.Start("/nonexistent/soci-fuse-test", Sample()));
        Assert.Contains("/nonexistent/soci-fuse-test", error.Message, StringComparison.Ordinal);
    }

    private static void AssertServingStops(FuseSession session)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (session.LiveServingThreads > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        Assert.Equal(0, session.LiveServingThreads);
    }
}
