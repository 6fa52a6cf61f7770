using Soci.Actors.Snapshotter;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Snapshotter.Tests;

/// <summary>Reopening the snapshotter (a daemon restart) restores remote mounts without blocking on them (§5.11).</summary>
public sealed class RestoreTests
{
    private const string Target = "sha256:5555555555555555555555555555555555555555555555555555555555555555";

    private static Dictionary<string, string> Labels() => new()
    {
        [SnapshotLabels.TargetReference] = Target,
        [SnapshotLabels.ImageReference] = "127.0.0.1:5000/app:v1",
        [SnapshotLabels.LayerDigest] = "sha256:6666",
    };

    [Fact]
    public async Task Remote_snapshots_are_mounted_again_with_their_stored_labels()
    {
        await using var harness = SnapshotterHarness.Create("restore-ok");
        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract", labels: Labels()));
        var restarted = new FakeRemoteFileSystem();

        await harness.ReopenAsync(restarted);
        await harness.Snapshotter.Restored;

        var (call, _, labels) = Assert.Single(restarted.Calls);
        Assert.Equal("mount", call);
        Assert.Equal(SnapshotterHarness.Namespace, labels[SnapshotLabels.Namespace]);
        await harness.PrepareAsync("container", Target);
        Assert.NotEmpty(await harness.Snapshotter.MountsAsync("container", CancellationToken.None));
    }

    [Fact]
    public async Task A_slow_registry_does_not_block_start_and_the_layer_is_unavailable_until_restored()
    {
        await using var harness = SnapshotterHarness.Create("restore-slow");
        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract", labels: Labels()));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = new FakeRemoteFileSystem { MountGate = gate };

        await harness.ReopenAsync(restarted);

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("container", Target));
        Assert.Equal(SnapshotErrorCode.Unavailable, error.Code);
        Assert.Contains("being restored", error.Message, StringComparison.Ordinal);
        Assert.Equal([Target], harness.Names());

        gate.SetResult();
        await harness.Snapshotter.Restored;
        await harness.PrepareAsync("container", Target);
        Assert.NotEmpty(await harness.Snapshotter.MountsAsync("container", CancellationToken.None));
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_restored_is_served_as_unavailable_with_the_reason_and_can_be_removed()
    {
        await using var harness = SnapshotterHarness.Create("restore-fail");
        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract", labels: Labels()));

        await harness.ReopenAsync(new FakeRemoteFileSystem { MountFails = RemoteMountFailure.Failed });
        await harness.Snapshotter.Restored;

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("container", Target));
        Assert.Equal(SnapshotErrorCode.Unavailable, error.Code);
        Assert.Contains("fake mount failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(RemoteSnapshotPhase.RestoreFailed, harness.Snapshotter.RemoteState(harness.Snapshotter.Stat(Target).Id)?.Phase);

        await harness.Snapshotter.RemoveAsync(Target, CancellationToken.None);
        Assert.Empty(harness.DirectoryNames());
    }

    [Fact]
    public async Task Directories_without_a_snapshot_record_are_deleted_when_the_snapshotter_opens()
    {
        await using var harness = SnapshotterHarness.Create("restore-orphans");
        await harness.CommittedAsync("kept");
        var keptId = harness.Snapshotter.Stat("kept").Id;
        // What a crash leaves: a half-built new-* directory and a renamed directory whose transaction never committed.
        Directory.CreateDirectory(Path.Combine(harness.SnapshotsPath, "new-crashed", "fs"));
        Directory.CreateDirectory(Path.Combine(harness.SnapshotsPath, (keptId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "fs"));

        await harness.ReopenAsync(new FakeRemoteFileSystem());

        Assert.Equal([keptId.ToString(System.Globalization.CultureInfo.InvariantCulture)], harness.DirectoryNames());
        Assert.Equal(["kept"], harness.Names());
    }
}
