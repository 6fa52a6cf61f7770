using System.Diagnostics;
using Soci.Actors.Registry;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Faults;
using Soci.TestEnvironment.Registry;

namespace Soci.Registry.Tests;

public sealed class FaultToleranceTests
{
    public static TheoryData<FaultKind> TransientFaults =>
    [
        FaultKind.ResetConnection, FaultKind.InternalServerError, FaultKind.ServiceUnavailable, FaultKind.TruncateBody, FaultKind.CorruptBody,
    ];

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_transient_fault_on_a_whole_blob_fetch_is_retried_to_the_right_bytes(FaultKind kind)
    {
        await using var setup = await Setup.StartAsync();
        setup.Proxy.Inject(new Fault(kind, Times: 2, PathContains: "/blobs/"));

        var bytes = await setup.Repository.GetBlobAsync(setup.Image.LargestLayer);

        Assert.Equal(setup.Image.Blob(setup.Image.LargestLayer.Digest), bytes);
        Assert.Equal(2, setup.Proxy.Served.Count(request => request.Fault == kind));
    }

    /// <summary>Range reads cannot be digest-checked on their own (the span digests above them are); their length and
    /// Content-Range are.</summary>
    public static TheoryData<FaultKind> TransientRangeFaults =>
    [
        FaultKind.ResetConnection, FaultKind.InternalServerError, FaultKind.ServiceUnavailable, FaultKind.TruncateBody,
    ];

    [Theory]
    [MemberData(nameof(TransientRangeFaults))]
    public async Task A_transient_fault_on_a_range_read_is_retried_to_the_right_bytes(FaultKind kind)
    {
        await using var setup = await Setup.StartAsync();
        var blob = await setup.Repository.OpenBlobAsync(setup.Image.LargestLayer.Digest);
        setup.Proxy.Inject(new Fault(kind, Times: 2, PathContains: "/blobs/"));
        var buffer = new byte[1 << 20];

        await blob.ReadAsync(3 << 20, buffer);

        Assert.Equal(setup.Image.Blob(setup.Image.LargestLayer.Digest).AsSpan(3 << 20, 1 << 20).ToArray(), buffer);
        Assert.Equal(2, setup.Proxy.Served.Count(request => request.Fault == kind));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_servers_retry_after()
    {
        await using var setup = await Setup.StartAsync();
        setup.Proxy.Inject(new Fault(FaultKind.TooManyRequests, PathContains: "/manifests/", Delay: TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        var manifest = await setup.Repository.GetManifestAsync("v1");

        Assert.Equal(setup.Image.Manifest.Digest, manifest.Descriptor.Digest);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before the 1 s Retry-After");
    }

    [Fact]
    public async Task A_slow_answer_beyond_the_attempt_timeout_is_abandoned_and_retried()
    {
        await using var setup = await Setup.StartAsync(Clients.FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(1) });
        setup.Proxy.Inject(new Fault(FaultKind.Slow, PathContains: "/manifests/", Delay: TimeSpan.FromSeconds(30)));

        var manifest = await setup.Repository.GetManifestAsync("v1");

        Assert.Equal(setup.Image.Manifest.Digest, manifest.Descriptor.Digest);
        Assert.Equal(2, setup.Proxy.RequestsReceived);
        Assert.DoesNotContain(setup.Proxy.Served, request => request.Fault == FaultKind.Slow);
    }

    [Theory]
    [InlineData(FaultKind.InternalServerError)]
    [InlineData(FaultKind.ResetConnection)]
    public async Task A_persistent_fault_ends_in_an_error_naming_host_repository_digest_and_attempts(FaultKind kind)
    {
        await using var setup = await Setup.StartAsync();
        setup.Proxy.Inject(Fault.Persistent(kind, "/blobs/"));
        var layer = setup.Image.LargestLayer;

        var error = await Assert.ThrowsAnyAsync<RegistryException>(() => setup.Repository.GetBlobAsync(layer));

        Assert.Contains($"{setup.Proxy.Host}/app@{layer.Digest}", error.Message, StringComparison.Ordinal);
        Assert.Contains("giving up after 5 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Persistently_corrupted_bytes_are_never_accepted()
    {
        await using var setup = await Setup.StartAsync();
        setup.Proxy.Inject(Fault.Persistent(FaultKind.CorruptBody, "/"));

        await Assert.ThrowsAsync<ContentVerificationException>(() => setup.Repository.GetBlobAsync(setup.Image.LargestLayer));
        await Assert.ThrowsAsync<ContentVerificationException>(() => setup.Repository.GetManifestAsync(setup.Image.Manifest.Digest));
        await Assert.ThrowsAsync<ContentVerificationException>(() => setup.Repository.GetManifestAsync("v1"));
    }

    [Fact]
    public async Task Persistently_truncated_range_reads_fail_instead_of_returning_short_data()
    {
        await using var setup = await Setup.StartAsync();
        var blob = await setup.Repository.OpenBlobAsync(setup.Image.LargestLayer.Digest);
        setup.Proxy.Inject(Fault.Persistent(FaultKind.TruncateBody, "/blobs/"));

        await Assert.ThrowsAsync<RegistryException>(() => blob.ReadAsync(0, new byte[1 << 20]).AsTask());
    }

    [Fact]
    public async Task The_proxy_counts_only_the_ranges_that_were_read()
    {
        await using var setup = await Setup.StartAsync();
        var blob = await setup.Repository.OpenBlobAsync(setup.Image.LargestLayer.Digest);
        setup.Proxy.ResetCounters();

        await blob.ReadAsync(1 << 20, new byte[4096]);
        await blob.ReadAsync(5 << 20, new byte[8192]);

        Assert.Equal(2, setup.Proxy.Served.Count);
        Assert.Equal(4096 + 8192, setup.Proxy.BodyBytesServed);
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly TestDirectory _directory;
        private readonly RegistryClient _client;

        private Setup(TestDirectory directory, FaultProxy proxy, TestImage image, RegistryClient client)
        {
            _directory = directory;
            Proxy = proxy;
            Image = image;
            _client = client;
            Repository = client.Repository(proxy.Host, "app");
        }

        public FaultProxy Proxy { get; }

        public TestImage Image { get; }

        public RepositoryClient Repository { get; }

        public static async Task<Setup> StartAsync(Soci.Actors.Registry.Transport.RetryOptions? retry = null)
        {
            var directory = TestDirectory.Create("registry-faults");
            var registry = await LocalRegistry.StartAsync(directory);
            var image = await TestImage.PushAsync(directory, registry, "app", "v1");
            var proxy = FaultProxy.Start(registry.CreateClient());
            return new Setup(directory, proxy, image, Clients.Plain(retry: retry));
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await Proxy.DisposeAsync();
            await _directory.DisposeAsync();
        }
    }
}
