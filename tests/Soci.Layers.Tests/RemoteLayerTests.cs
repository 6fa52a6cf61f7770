using Soci.Actors.Layers;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.Spans;
using Soci.Layers.Tests.Support;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Faults;

namespace Soci.Layers.Tests;

/// <summary>Spans fetched on demand from a real registry: only what reads touch, once, verified.</summary>
[Collection(nameof(RemoteLayerTests))]
public sealed class RemoteLayerTests(RemoteLayer remote) : IClassFixture<RemoteLayer>
{
    [Fact]
    public async Task Reading_one_small_file_of_a_large_layer_fetches_only_its_span()
    {
        await using var directory = TestDirectory.Create("layers-one-span");
        await using var mount = await LazyMount.StartAsync(directory.File("mnt"), remote.Ztoc, remote.Blob(), new MemorySpanCache(64 << 20), remote.Digest);
        remote.Proxy.ResetCounters();
        var index = remote.SingleSpanFiles().First();
        var span = remote.Zinfo.SpanOf(remote.File(index).UncompressedOffset);

        var content = await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, GeneratedLayer.FileName(index)));

        Assert.Equal(await remote.ExpectedContentAsync(index), content);
        var request = Assert.Single(remote.BlobRequests());
        Assert.Equal(remote.Zinfo.EndCompressedOffset(span) - remote.Zinfo.StartCompressedOffset(span), request.BodyBytes);
        Assert.True(remote.Size > 80 * request.BodyBytes, $"layer {remote.Size} bytes, fetched {request.BodyBytes}");
    }

    [Fact]
    public async Task Concurrent_readers_of_one_span_share_one_fetch()
    {
        var spans = await SpanManager.CreateAsync("single-flight", PreparedLayer.FromZtoc(remote.Ztoc), remote.Blob(), new MemorySpanCache(64 << 20));
        remote.Proxy.ResetCounters();
        remote.Proxy.Inject(new Fault(FaultKind.Slow, Times: 1, PathContains: "/blobs/", Delay: TimeSpan.FromMilliseconds(500)));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => spans.EnsureResolvedAsync(7, 7, CancellationToken.None))));

        Assert.Single(remote.BlobRequests());
        Assert.Equal(SpanState.Uncompressed, spans.StateOf(7));
    }

    [Fact]
    public async Task Adjacent_missing_spans_are_fetched_with_one_range_request()
    {
        var spans = await SpanManager.CreateAsync("adjacent", PreparedLayer.FromZtoc(remote.Ztoc), remote.Blob(), new MemorySpanCache(64 << 20));
        remote.Proxy.ResetCounters();
        var offset = remote.Zinfo.StartUncompressedOffset(10) + 100;
        var buffer = new byte[(int)(5.5 * RemoteLayer.SpanSize)];

        await Task.Run(() => spans.Read(offset, buffer, CancellationToken.None));

        var request = Assert.Single(remote.BlobRequests());
        var last = remote.Zinfo.SpanOf(offset + buffer.Length - 1);
        Assert.Equal(remote.Zinfo.EndCompressedOffset(last) - remote.Zinfo.StartCompressedOffset(10), request.BodyBytes);
    }

    [Fact]
    public async Task A_span_that_never_verifies_fails_its_read_with_EIO_after_the_retries_and_other_files_keep_serving()
    {
        await using var directory = TestDirectory.Create("layers-corrupt");
        await using var mount = await LazyMount.StartAsync(
            directory.File("mnt"), remote.Ztoc, remote.Blob(), new MemorySpanCache(64 << 20), remote.Digest,
            new SpanManagerOptions { MaxSpanVerificationRetries = 2 });
        var files = remote.SingleSpanFiles().Take(40).ToList();
        var victim = files[0];
        var other = files.First(i => remote.Zinfo.SpanOf(remote.File(i).UncompressedOffset) != remote.Zinfo.SpanOf(remote.File(victim).UncompressedOffset));
        remote.Proxy.ResetCounters();
        remote.Proxy.Inject(Fault.Persistent(FaultKind.CorruptBody, "/blobs/"));

        var error = await Assert.ThrowsAnyAsync<IOException>(() => File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, GeneratedLayer.FileName(victim))));
        var attempts = remote.BlobRequests().Count;
        remote.Proxy.ClearFaults();
        var otherContent = await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, GeneratedLayer.FileName(other)));
        var victimContent = await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, GeneratedLayer.FileName(victim)));

        Assert.Contains("Input/output error", error.Message);
        Assert.True(attempts >= 3 && attempts % 3 == 0, $"{attempts} fetches: expected 3 attempts per failed read");
        Assert.Equal(await remote.ExpectedContentAsync(other), otherContent);
        Assert.Equal(await remote.ExpectedContentAsync(victim), victimContent);
        Assert.Contains("span digests do not match", mount.Layer.FileSystem.State.LastError);
    }

    [Fact]
    public async Task A_registry_that_drops_the_connection_gives_EIO_and_the_read_succeeds_once_it_recovers()
    {
        await using var directory = TestDirectory.Create("layers-reset");
        await using var mount = await LazyMount.StartAsync(directory.File("mnt"), remote.Ztoc, remote.Blob(), new MemorySpanCache(64 << 20), remote.Digest);
        var index = remote.SingleSpanFiles().Skip(3).First();
        var path = Path.Combine(mount.MountPoint, GeneratedLayer.FileName(index));
        remote.Proxy.Inject(Fault.Persistent(FaultKind.ResetConnection, "/blobs/"));

        await Assert.ThrowsAnyAsync<IOException>(() => File.ReadAllBytesAsync(path));
        remote.Proxy.ClearFaults();

        Assert.Equal(await remote.ExpectedContentAsync(index), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task The_disk_cache_stays_within_its_limit_and_keeps_nothing_of_a_released_layer()
    {
        await using var directory = TestDirectory.Create("layers-disk-cache");
        var cacheDirectory = directory.File("spancache");
        var cache = new DiskSpanCache(cacheDirectory, capacityBytes: 3 * RemoteLayer.SpanSize + 1024);
        var files = remote.SingleSpanFiles().Take(60).ToList();
        await using (var mount = await LazyMount.StartAsync(directory.File("mnt"), remote.Ztoc, remote.Blob(), cache, remote.Digest))
        {
            foreach (var index in files)
            {
                var content = await File.ReadAllBytesAsync(Path.Combine(mount.MountPoint, GeneratedLayer.FileName(index)));
                Assert.Equal(await remote.ExpectedContentAsync(index), content);
                Assert.True(cache.Size <= 3 * RemoteLayer.SpanSize + 1024, $"cache holds {cache.Size} bytes");
            }
            Assert.NotEmpty(Directory.GetFiles(cacheDirectory, "*", SearchOption.AllDirectories));
        }

        Assert.Empty(Directory.GetFiles(cacheDirectory, "*", SearchOption.AllDirectories));
        Assert.Equal(0, cache.Size);
    }

    [Fact]
    public async Task The_background_fetch_hook_resolves_every_span_once_and_later_reads_fetch_nothing()
    {
        var spans = await SpanManager.CreateAsync("background", PreparedLayer.FromZtoc(remote.Ztoc), remote.Blob(), new MemorySpanCache(256 << 20));
        remote.Proxy.ResetCounters();

        var calls = 1;
        while (await spans.FetchNextUnfetchedSpanAsync(CancellationToken.None))
        {
            calls++;
        }
        var fetches = remote.BlobRequests().Count;
        var buffer = new byte[3 << 20];
        await Task.Run(() => spans.Read(remote.File(100).UncompressedOffset, buffer, CancellationToken.None));

        Assert.Equal(spans.SpanCount, calls);
        Assert.Equal(spans.SpanCount, spans.ResolvedSpanCount);
        Assert.Equal(spans.SpanCount, fetches);
        Assert.Equal(fetches, remote.BlobRequests().Count);
        Assert.False(await spans.FetchNextUnfetchedSpanAsync(CancellationToken.None));
    }
}
