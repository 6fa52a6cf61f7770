using Soci.Fuse.FileSystem;
using Soci.Fuse.Protocol;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class CoreOperationTests : IDisposable
{
    private readonly MemoryFileSystem _fs = SampleTree.Create();
    private readonly TestMount _mount;

    public CoreOperationTests() => _mount = TestMount.Start(_fs);

    public void Dispose() => _mount.Dispose();

    [Fact]
    public void Mount_appears_read_only_with_fsname_soci_and_type_fuse_soci()
    {
        var line = File.ReadLines("/proc/mounts").Single(l => l.Split(' ')[1] == _mount.MountPoint);
        var fields = line.Split(' ');
        Assert.Equal("soci", fields[0]);
        Assert.Equal("fuse.soci", fields[2]);
        Assert.Contains("ro", fields[3].Split(','));
        Assert.Contains("allow_other", fields[3].Split(','));
        Assert.Contains("default_permissions", fields[3].Split(','));
    }

    [Fact]
    public void Init_negotiates_protocol_7_39_with_readdirplus_and_max_pages()
    {
        Assert.Equal(39u, _mount.Session.ProtocolMinor);
        var flags = (InitFlags)_mount.Session.NegotiatedFlags;
        Assert.True(flags.HasFlag(InitFlags.MaxPages));
        Assert.True(flags.HasFlag(InitFlags.AsyncRead));
        Assert.True(flags.HasFlag(InitFlags.ParallelDirops));
        Assert.True(flags.HasFlag(InitFlags.DoReaddirplus));
    }

    [Fact]
    public void Stat_reports_the_inode_numbers_sizes_owners_and_times_the_filesystem_chose()
    {
        var big = _fs.Find("data/big.bin")!;
        var stat = Tool.Run("stat", "-c", "%i %s %u %g %Y %F %a %b", _mount.PathOf("data/big.bin")).EnsureSuccess().Output;
        Assert.Equal($"{big.Ino} {SampleTree.BigSize} 1234 5678 1700000000 regular file 644 {(SampleTree.BigSize + 4095) / 4096 * 8}", stat);
        Assert.Equal($"{SampleTree.RootInode} directory", Tool.Run("stat", "-c", "%i %F", _mount.MountPoint).EnsureSuccess().Output);
        Assert.Equal("character special file 1,3", Tool.Run("stat", "-c", "%F %t,%T", _mount.PathOf("dev/null-like")).EnsureSuccess().Output);
    }

    [Fact]
    public void Statx_asking_for_birth_time_is_answered_from_the_same_attributes()
    {
        var big = _fs.Find("data/big.bin")!;
        var stat = Tool.Run("stat", "--cached=never", "-c", "%W %i %s %u %g %Y %a", _mount.PathOf("data/big.bin")).EnsureSuccess().Output;
        Assert.Equal($"0 {big.Ino} {SampleTree.BigSize} 1234 5678 1700000000 644", stat);
        Assert.True(_mount.Session.Statistics.CountOf(FuseOpcode.Statx) >= 1);
    }

    [Fact]
    public void Cat_returns_the_exact_bytes_of_small_and_large_files()
    {
        Assert.Equal("hello, fuse\n", Tool.Run("cat", _mount.PathOf("hello.txt")).EnsureSuccess().Stdout);
        var sum = Tool.Run("sha256sum", _mount.PathOf("data/big.bin")).EnsureSuccess().Output.Split(' ')[0];
        Assert.Equal(SampleTree.Sha256Of(_fs.Find("data/big.bin")!.Content!), sum);
    }

    [Fact]
    public void Ls_la_shows_every_entry_with_its_type_and_readlink_resolves_symlinks()
    {
        var listing = Tool.Run("ls", "-la", _mount.MountPoint).EnsureSuccess().Output;
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("-rw-r--r--", StringComparison.Ordinal) && l.EndsWith(" hello.txt", StringComparison.Ordinal));
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("lrwxrwxrwx", StringComparison.Ordinal) && l.EndsWith(" link-to-hello -> hello.txt", StringComparison.Ordinal));
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("drwxr-xr-x", StringComparison.Ordinal) && l.EndsWith(" data", StringComparison.Ordinal));
        Assert.Equal("hello.txt", Tool.Run("readlink", _mount.PathOf("link-to-hello")).EnsureSuccess().Output);
        Assert.Equal("hello, fuse\n", Tool.Run("cat", _mount.PathOf("link-to-hello")).EnsureSuccess().Stdout);
    }

    [Fact]
    public void Find_walks_the_whole_tree()
    {
        var paths = Tool.Run("find", _mount.MountPoint, "-printf", "%P %y\n").EnsureSuccess().Output.Split('\n').Order(StringComparer.Ordinal);
        Assert.Equal(
            [" d", "data d", "data/big.bin f", "data/nested d", "data/nested/deep.txt f", "dev d", "dev/null-like c", "empty d", "hello.txt f", "link-to-hello l"],
            paths);
    }

    [Fact]
    public void Missing_names_fail_with_enoent_and_writes_fail_with_erofs()
    {
        var missing = Tool.Run("stat", _mount.PathOf("no-such-file"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such file or directory", missing.Stderr);
        var write = Tool.Run("touch", _mount.PathOf("hello.txt"));
        Assert.Contains("Read-only file system", write.Stderr);
        var create = Tool.Run("mkdir", _mount.PathOf("newdir"));
        Assert.Contains("Read-only file system", create.Stderr);
    }

    [Fact]
    public void Statfs_reports_block_size_and_name_length_from_the_filesystem()
    {
        Assert.Equal("4096 255", Tool.Run("stat", "-f", "-c", "%S %l", _mount.MountPoint).EnsureSuccess().Output);
    }

    [Fact]
    public async Task Concurrent_readers_all_get_the_right_bytes()
    {
        var expected = SampleTree.Sha256Of(_fs.Find("data/big.bin")!.Content!);
        var sums = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => Task.Run(() => Tool.Run("sha256sum", _mount.PathOf("data/big.bin")).EnsureSuccess().Output.Split(' ')[0])));
        Assert.All(sums, sum => Assert.Equal(expected, sum));
    }

    [Fact]
    public void Operation_statistics_count_requests_and_their_latencies()
    {
        Tool.Run("cat", _mount.PathOf("data/nested/deep.txt")).EnsureSuccess();
        var stats = _mount.Session.Statistics.Snapshot();
        Assert.True(stats[FuseOpcode.Lookup].Count >= 3);
        Assert.True(stats[FuseOpcode.Read].Count >= 1);
        Assert.True(stats[FuseOpcode.Read].TotalLatency > TimeSpan.Zero);
        Assert.True(stats[FuseOpcode.Read].MaxLatency <= stats[FuseOpcode.Read].TotalLatency);
    }
}
