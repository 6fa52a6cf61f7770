using Soci.Fuse.FileSystem;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class OverlayTests
{
    [Fact]
    public void A_fuse_mount_works_as_overlay_lowerdir_for_reads_copy_up_whiteouts_and_opaque_directories()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("a.txt", "lower a\n");
        fs.AddFile("dir/b.txt", "lower b\n");
        fs.AddFile("op/inner.txt", "inner\n");
        fs.Find("op")!.Xattrs["trusted.overlay.opaque"] = "y"u8.ToArray();
        using var mount = TestMount.Start(fs);
        var layers = Directory.CreateDirectory(Path.Combine(mount.Root, "layers")).FullName;
        Tool.Run("mount", "-t", "tmpfs", "tmpfs", layers).EnsureSuccess();
        var disk = Directory.CreateDirectory(Path.Combine(layers, "disk")).FullName;
        var upper = Directory.CreateDirectory(Path.Combine(layers, "upper")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(layers, "work")).FullName;
        var merged = Directory.CreateDirectory(Path.Combine(mount.Root, "merged")).FullName;
        File.WriteAllText(Path.Combine(disk, "disk.txt"), "disk\n");
        Directory.CreateDirectory(Path.Combine(disk, "op"));
        File.WriteAllText(Path.Combine(disk, "op", "hidden.txt"), "hidden\n");
        try
        {
            Tool.Run("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={mount.MountPoint}:{disk},upperdir={upper},workdir={work}", merged).EnsureSuccess();

            Assert.Equal("lower a\n", File.ReadAllText(Path.Combine(merged, "a.txt")));
            Assert.Equal("disk\n", File.ReadAllText(Path.Combine(merged, "disk.txt")));
            Assert.Equal("inner.txt", Tool.Run("ls", Path.Combine(merged, "op")).EnsureSuccess().Output);

            Tool.Shell($"echo more >> {Path.Combine(merged, "a.txt")}").EnsureSuccess();
            Assert.Equal("lower a\nmore\n", File.ReadAllText(Path.Combine(merged, "a.txt")));
            Assert.Equal("lower a\nmore\n", File.ReadAllText(Path.Combine(upper, "a.txt")));
            Assert.Equal("lower a\n", File.ReadAllText(mount.PathOf("a.txt")));

            Tool.Run("rm", Path.Combine(merged, "dir", "b.txt")).EnsureSuccess();
            Assert.False(File.Exists(Path.Combine(merged, "dir", "b.txt")));
            Assert.Equal("character special file 0,0", Tool.Run("stat", "-c", "%F %t,%T", Path.Combine(upper, "dir", "b.txt")).EnsureSuccess().Output);
            Assert.Equal("lower b\n", File.ReadAllText(mount.PathOf("dir/b.txt")));
        }
        finally
        {
            Tool.Run("umount", merged);
            Tool.Run("umount", layers);
        }
    }
}
