using Soci.Actors.Snapshotter;

namespace Soci.Snapshotter.Tests;

/// <summary>Requests containerd's own snapshotters refuse get the same error class here, and change nothing.</summary>
public sealed class BadRequestTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Fact]
    public async Task Prepare_on_an_unknown_parent_is_NotFound_and_leaves_no_directory()
    {
        await using var harness = SnapshotterHarness.Create("bad-parent");

        await AssertRefusedAsync(harness, SnapshotErrorCode.NotFound, () => harness.PrepareAsync("a", "missing"));
    }

    [Fact]
    public async Task Prepare_whose_parent_is_itself_is_refused_because_a_snapshot_cannot_be_its_own_ancestor()
    {
        await using var harness = SnapshotterHarness.Create("cycle");

        await AssertRefusedAsync(harness, SnapshotErrorCode.NotFound, () => harness.PrepareAsync("loop", "loop"));
    }

    [Fact]
    public async Task Prepare_on_an_active_parent_is_InvalidArgument()
    {
        await using var harness = SnapshotterHarness.Create("active-parent");
        await harness.PrepareAsync("active");

        await AssertRefusedAsync(harness, SnapshotErrorCode.InvalidArgument, () => harness.PrepareAsync("child", "active"));
    }

    [Fact]
    public async Task Prepare_with_a_key_in_use_is_AlreadyExists()
    {
        await using var harness = SnapshotterHarness.Create("duplicate");
        await harness.CommittedAsync("base");

        await AssertRefusedAsync(harness, SnapshotErrorCode.AlreadyExists, () => harness.PrepareAsync("base"));
    }

    [Fact]
    public async Task Committing_a_view_is_FailedPrecondition_and_the_view_stays_a_view()
    {
        await using var harness = SnapshotterHarness.Create("commit-view");
        await harness.CommittedAsync("base");
        await harness.Snapshotter.ViewAsync("view", "base", NoLabels, CancellationToken.None);

        await AssertRefusedAsync(harness, SnapshotErrorCode.FailedPrecondition,
            () => harness.Snapshotter.CommitAsync("committed", "view", NoLabels, CancellationToken.None));
        Assert.Equal(SnapshotKind.View, harness.Snapshotter.Stat("view").Kind);
    }

    [Fact]
    public async Task Committing_onto_an_existing_name_is_AlreadyExists_and_the_active_snapshot_survives()
    {
        await using var harness = SnapshotterHarness.Create("commit-dup");
        await harness.CommittedAsync("base");
        await harness.PrepareAsync("work");

        await AssertRefusedAsync(harness, SnapshotErrorCode.AlreadyExists,
            () => harness.Snapshotter.CommitAsync("base", "work", NoLabels, CancellationToken.None));
        Assert.Equal(SnapshotKind.Active, harness.Snapshotter.Stat("work").Kind);
    }

    [Fact]
    public async Task Removing_a_parent_with_children_is_FailedPrecondition()
    {
        await using var harness = SnapshotterHarness.Create("remove-parent");
        await harness.CommittedAsync("base");
        await harness.PrepareAsync("child", "base");

        await AssertRefusedAsync(harness, SnapshotErrorCode.FailedPrecondition,
            () => harness.Snapshotter.RemoveAsync("base", CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_keys_are_NotFound_for_every_operation()
    {
        await using var harness = SnapshotterHarness.Create("unknown");

        Assert.Equal(SnapshotErrorCode.NotFound, Assert.Throws<SnapshotException>(() => harness.Snapshotter.Stat("nope")).Code);
        Assert.Equal(SnapshotErrorCode.NotFound, Assert.Throws<SnapshotException>(() => harness.Snapshotter.Usage("nope")).Code);
        await AssertRefusedAsync(harness, SnapshotErrorCode.NotFound, () => harness.Snapshotter.MountsAsync("nope", CancellationToken.None));
        await AssertRefusedAsync(harness, SnapshotErrorCode.NotFound, () => harness.Snapshotter.RemoveAsync("nope", CancellationToken.None));
        await AssertRefusedAsync(harness, SnapshotErrorCode.NotFound, () => harness.Snapshotter.CommitAsync("x", "nope", NoLabels, CancellationToken.None));
    }

    [Fact]
    public async Task A_label_larger_than_containerds_limit_is_InvalidArgument()
    {
        await using var harness = SnapshotterHarness.Create("big-label");
        var labels = new Dictionary<string, string> { ["big"] = new('x', SnapshotLabels.MaxLabelBytes) };

        await AssertRefusedAsync(harness, SnapshotErrorCode.InvalidArgument, () => harness.PrepareAsync("a", labels: labels));
    }

    [Fact]
    public async Task Updating_the_parent_field_is_InvalidArgument_and_labels_stay()
    {
        await using var harness = SnapshotterHarness.Create("update-parent");
        await harness.PrepareAsync("a", labels: new Dictionary<string, string> { ["keep"] = "1" });

        var error = Assert.Throws<SnapshotException>(() => harness.Snapshotter.Update("a", NoLabels, ["parent"]));

        Assert.Equal(SnapshotErrorCode.InvalidArgument, error.Code);
        Assert.Equal("1", harness.Snapshotter.Stat("a").Labels["keep"]);
    }

    [Theory]
    [InlineData("name==")]
    [InlineData("kind=active")]
    [InlineData("labels.\"unterminated==x")]
    [InlineData(",name==a")]
    [InlineData("name==a,,")]
    public async Task A_malformed_filter_is_InvalidArgument(string filter)
    {
        await using var harness = SnapshotterHarness.Create("bad-filter");

        var error = Assert.Throws<SnapshotException>(() => harness.Snapshotter.List([filter]));

        Assert.Equal(SnapshotErrorCode.InvalidArgument, error.Code);
        Assert.Contains(filter, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The call fails with <paramref name="code"/>, and neither the snapshot list nor the directories changed.</summary>
    private static async Task AssertRefusedAsync(SnapshotterHarness harness, SnapshotErrorCode code, Func<Task> call)
    {
        var names = harness.Names();
        var directories = harness.DirectoryNames();

        var error = await Assert.ThrowsAsync<SnapshotException>(call);

        Assert.Equal(code, error.Code);
        Assert.Equal(names, harness.Names());
        Assert.Equal(directories, harness.DirectoryNames());
    }
}
