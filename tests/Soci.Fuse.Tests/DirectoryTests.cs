using Soci.Fuse.FileSystem;
using Soci.Fuse.Tests.Interop;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class DirectoryTests : IDisposable
{
    private const int Entries = 100_000;
    private readonly MemoryFileSystem _fs = new();
    private readonly TestMount _mount;

    public DirectoryTests()
    {
        var empty = new BytesContent(Array.Empty<byte>());
        for (var i = 0; i < Entries; i++)
        {
            _fs.AddFile($"big/f{i:D6}", empty);
        }
        _fs.AddFile("small/a", "a");
        _mount = TestMount.Start(_fs);
    }

    public void Dispose() => _mount.Dispose();

    [Fact]
    public void Ls_f_lists_all_100000_entries_of_a_large_directory_exactly_once()
    {
        var names = Tool.Shell($"ls -f {_mount.PathOf("big")}").EnsureSuccess().Output.Split('\n');
        Assert.Equal(Entries + 2, names.Length);
        Assert.Equal(Entries + 2, names.Distinct().Count());
        Assert.Contains("f099999", names);
    }

    [Fact]
    public void Seekdir_to_a_telldir_position_resumes_the_listing_at_the_same_entry()
    {
        using var dir = new DirectoryStream(_mount.PathOf("big"));
        var firstPass = new List<string>();
        var positions = new Dictionary<int, long>();
        for (var i = 0; i < 60_000; i++)
        {
            positions[i] = dir.Tell();
            firstPass.Add(dir.Next()!);
        }
        foreach (var index in new[] { 50_123, 7, 31_000, 0, 59_998 })
        {
            dir.Seek(positions[index]);
            Assert.Equal(firstPass[index], dir.Next());
            Assert.Equal(firstPass[index + 1], dir.Next());
        }
        dir.Seek(positions[59_999]);
        var rest = 0;
        while (dir.Next() is not null)
        {
            rest++;
        }
        Assert.Equal(Entries + 2 - 59_999, rest);
    }

    [Fact]
    public void Readdirplus_entries_are_counted_as_lookups_and_released_when_the_kernel_forgets_them()
    {
        Tool.Run("ls", "-l", _mount.PathOf("small")).EnsureSuccess();
        var node = _fs.Find("small/a")!;
        Assert.True(_mount.Session.LookupCount(node.Ino) >= 1);
        File.WriteAllText("/proc/sys/vm/drop_caches", "2");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_mount.Session.LookupCount(node.Ino) > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        Assert.Equal(0, _mount.Session.LookupCount(node.Ino));
    }
}
