using Soci.Actors.Snapshotter;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Snapshotter.Tests;

/// <summary>Prepare with a target name follows the decision table of snapshotter.md §5.1.</summary>
public sealed class RemotePrepareTests
{
    private const string Target = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Layer = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static Dictionary<string, string> CriLabels() => new()
    {
        [SnapshotLabels.TargetReference] = Target,
        [SnapshotLabels.ImageReference] = "127.0.0.1:5000/app:v1",
        [SnapshotLabels.ManifestDigest] = "sha256:3333333333333333333333333333333333333333333333333333333333333333",
        [SnapshotLabels.LayerDigest] = Layer,
        [SnapshotLabels.ImageLayers] = Layer,
    };

    [Fact]
    public async Task A_remote_mount_commits_the_target_and_answers_AlreadyExists()
    {
        await using var harness = SnapshotterHarness.Create("remote-ok");

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-1 " + Target, labels: CriLabels()));

        Assert.Equal(SnapshotErrorCode.AlreadyExists, error.Code);
        var committed = harness.Snapshotter.Stat(Target);
        Assert.Equal(SnapshotKind.Committed, committed.Kind);
        Assert.Equal(SnapshotLabels.RemoteValue, committed.Labels[SnapshotLabels.Remote]);
        Assert.Equal("true", committed.Labels[SnapshotLabels.HasSociIndexDigest]);
        Assert.Equal(SnapshotterHarness.Namespace, committed.Labels[SnapshotLabels.Namespace]);
        Assert.Equal(["mount"], harness.Remote.CallNames);
        Assert.Equal([Target], harness.Names());
        Assert.True(File.Exists(Path.Combine(harness.Remote.Calls.Single().MountPoint, FakeRemoteFileSystem.MarkerFile)));
    }

    [Fact]
    public async Task The_committed_remote_snapshot_is_found_by_containerds_list_filter_handshake()
    {
        await using var harness = SnapshotterHarness.Create("remote-handshake");
        await harness.CommittedAsync("base");
        var labels = CriLabels();

        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-2 " + Target, "base", labels));

        var found = harness.Snapshotter.List([$"labels.\"{SnapshotLabels.TargetReference}\"=={Target},parent==\"base\""]);
        Assert.Equal(Target, Assert.Single(found).Name);
    }

    [Fact]
    public async Task Stargz_labels_from_ctr_remote_are_turned_into_the_cri_labels_the_filesystem_reads()
    {
        await using var harness = SnapshotterHarness.Create("remote-stargz");
        var labels = new Dictionary<string, string>
        {
            [SnapshotLabels.TargetReference] = Target,
            [SnapshotLabels.StargzReference] = "127.0.0.1:5000/app:v1",
            [SnapshotLabels.StargzDigest] = Layer,
            [SnapshotLabels.StargzLayers] = Layer + ",sha256:4444",
        };

        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-3", labels: labels));

        var seen = harness.Remote.Calls.Single().Labels;
        Assert.Equal("127.0.0.1:5000/app:v1", seen[SnapshotLabels.ImageReference]);
        Assert.Equal(Layer, seen[SnapshotLabels.LayerDigest]);
        Assert.Equal(Layer + ",sha256:4444", seen[SnapshotLabels.ImageLayers]);
    }

    [Fact]
    public async Task Without_a_usable_index_the_layer_is_deferred_to_containerd_as_a_plain_active_snapshot()
    {
        await using var harness = SnapshotterHarness.Create("remote-defer");
        harness.Remote.MountFails = RemoteMountFailure.NoValidSociIndex;

        await harness.PrepareAsync("extract-4", labels: CriLabels());

        Assert.Equal(SnapshotKind.Active, harness.Snapshotter.Stat("extract-4").Kind);
        Assert.Null(harness.Snapshotter.List([$"name=={Target}"]).SingleOrDefault());
        Assert.Equal(["mount"], harness.Remote.CallNames);
    }

    [Theory]
    [InlineData(RemoteMountFailure.NoZtocForLayer)]
    [InlineData(RemoteMountFailure.Failed)]
    public async Task Other_remote_failures_unpack_the_layer_locally_and_commit_it(RemoteMountFailure failure)
    {
        await using var harness = SnapshotterHarness.Create("remote-local");
        harness.Remote.MountFails = failure;

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-5", labels: CriLabels()));

        Assert.Equal(SnapshotErrorCode.AlreadyExists, error.Code);
        var committed = harness.Snapshotter.Stat(Target);
        Assert.Equal("true", committed.Labels[SnapshotLabels.HasSociIndexDigest]);
        Assert.False(committed.Labels.ContainsKey(SnapshotLabels.Remote));
        Assert.Equal(["mount", "local"], harness.Remote.CallNames);
        Assert.True(harness.Snapshotter.Usage(Target).Inodes >= 2);
    }

    [Fact]
    public async Task When_the_local_unpack_fails_too_containerd_gets_the_plain_mounts()
    {
        await using var harness = SnapshotterHarness.Create("remote-local-fails");
        harness.Remote.MountFails = RemoteMountFailure.NoZtocForLayer;
        harness.Remote.LocalFails = RemoteMountFailure.Failed;

        await harness.PrepareAsync("extract-6", labels: CriLabels());

        Assert.Equal(SnapshotKind.Active, harness.Snapshotter.Stat("extract-6").Kind);
    }

    [Fact]
    public async Task Layers_below_min_layer_size_skip_the_remote_mount_and_unpack_locally()
    {
        await using var harness = SnapshotterHarness.Create("remote-min", new SnapshotterOptions { MinLayerSize = 1000 });
        var labels = CriLabels();
        labels[SnapshotLabels.SociSize] = "999";

        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-7", labels: labels));

        Assert.Equal(["local"], harness.Remote.CallNames);
    }

    [Fact]
    public async Task A_target_without_image_labels_is_deferred_without_asking_the_filesystem()
    {
        await using var harness = SnapshotterHarness.Create("remote-nolabels");

        await harness.PrepareAsync("extract-8", labels: new Dictionary<string, string> { [SnapshotLabels.TargetReference] = Target });

        Assert.Empty(harness.Remote.Calls);
        Assert.Equal(SnapshotKind.Active, harness.Snapshotter.Stat("extract-8").Kind);
    }

    [Fact]
    public async Task A_target_prepare_without_a_namespace_is_InvalidArgument_and_creates_nothing()
    {
        await using var harness = SnapshotterHarness.Create("remote-nons");

        var error = await Assert.ThrowsAsync<SnapshotException>(() =>
            harness.Snapshotter.PrepareAsync("extract-9", "", CriLabels(), null, CancellationToken.None));

        Assert.Equal(SnapshotErrorCode.InvalidArgument, error.Code);
        Assert.Empty(harness.Names());
        Assert.Empty(harness.DirectoryNames());
    }

    [Fact]
    public async Task A_malformed_layer_size_label_is_InvalidArgument()
    {
        await using var harness = SnapshotterHarness.Create("remote-badsize");
        var labels = CriLabels();
        labels[SnapshotLabels.SociSize] = "12MB";

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-10", labels: labels));

        Assert.Equal(SnapshotErrorCode.InvalidArgument, error.Code);
        Assert.Empty(harness.Names());
    }

    [Fact]
    public async Task Mounts_over_a_remote_layer_that_fails_its_check_are_Unavailable()
    {
        await using var harness = SnapshotterHarness.Create("remote-check");
        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-11", labels: CriLabels()));
        await harness.PrepareAsync("container", Target);
        harness.Remote.CheckFails = RemoteMountFailure.Failed;

        var error = await Assert.ThrowsAsync<SnapshotException>(() => harness.Snapshotter.MountsAsync("container", CancellationToken.None));

        Assert.Equal(SnapshotErrorCode.Unavailable, error.Code);
        Assert.Contains(Target, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_remote_snapshot_deletes_its_record_and_directory()
    {
        await using var harness = SnapshotterHarness.Create("remote-remove");
        await Assert.ThrowsAsync<SnapshotException>(() => harness.PrepareAsync("extract-12", labels: CriLabels()));

        await harness.Snapshotter.RemoveAsync(Target, CancellationToken.None);

        Assert.Empty(harness.Names());
        Assert.Empty(harness.DirectoryNames());
    }
}
