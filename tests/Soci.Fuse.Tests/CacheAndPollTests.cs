using Soci.Fuse.FileSystem;
using Soci.Fuse.Protocol;
using Soci.Fuse.Tests.Interop;
using Soci.Fuse.Tests.Support;

namespace Soci.Fuse.Tests;

public sealed class CacheAndPollTests
{
    [Theory]
    [InlineData(60, 1)]
    [InlineData(0, 2)]
    public void Failed_lookups_are_cached_for_the_negative_timeout(int negativeSeconds, int expectedLookups)
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("present", "x");
        using var mount = TestMount.Start(fs, new FuseMountOptions { NegativeTimeout = TimeSpan.FromSeconds(negativeSeconds) });

        Assert.False(File.Exists(mount.PathOf("absent")));
        Assert.False(File.Exists(mount.PathOf("absent")));

        Assert.Equal(expectedLookups, mount.Session.Statistics.CountOf(FuseOpcode.Lookup));
    }

    [Fact]
    public void Poll_on_a_file_reaches_the_filesystem_and_reports_it_readable()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("file", "x");
        using var mount = TestMount.Start(fs);

        var ready = FilePoll.Poll(mount.PathOf("file"), FilePoll.PollIn);

        Assert.Equal(FilePoll.PollIn, ready & FilePoll.PollIn);
        Assert.True(mount.Session.Statistics.CountOf(FuseOpcode.Poll) >= 1);
    }
}
