using Soci.Actors.Snapshotter;

namespace Soci.Snapshotter.Tests;

/// <summary>List filters follow containerd's grammar: comma = and, several filter strings = or.</summary>
public sealed class FilterTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NoLabels = [];
    private readonly SnapshotterHarness _harness = SnapshotterHarness.Create("filters");

    public async Task InitializeAsync()
    {
        await _harness.CommittedAsync("p");
        await _harness.PrepareAsync("a", "p", new Dictionary<string, string> { ["containerd.io/snapshot.ref"] = "sha256:abc", ["l"] = "2" });
        await _harness.Snapshotter.ViewAsync("v", "p", new Dictionary<string, string> { ["l"] = "3" }, CancellationToken.None);
        await _harness.PrepareAsync("dotted.name", labels: new Dictionary<string, string> { ["a.b"] = "x y" });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(new[] { "kind==active" }, new[] { "a", "dotted.name" })]
    [InlineData(new[] { "kind==committed" }, new[] { "p" })]
    [InlineData(new[] { "parent==p" }, new[] { "a", "v" })]
    [InlineData(new[] { "parent!=\"\"" }, new[] { "a", "v" })]
    [InlineData(new[] { "name==p", "name==v" }, new[] { "p", "v" })]
    [InlineData(new[] { "labels.l" }, new[] { "a", "v" })]
    [InlineData(new[] { "labels.l==2,kind==active" }, new[] { "a" })]
    [InlineData(new[] { "labels.l!=2" }, new[] { "dotted.name", "p", "v" })]
    [InlineData(new[] { "labels.\"containerd.io/snapshot.ref\"==sha256:abc,parent==\"p\"" }, new[] { "a" })]
    [InlineData(new[] { "labels.\"a.b\"==\"x y\"" }, new[] { "dotted.name" })]
    [InlineData(new[] { "name==dotted.name" }, new[] { "dotted.name" })]
    [InlineData(new[] { "name~=^p" }, new[] { "p" })]
    [InlineData(new[] { "name~=/^(a|v)$/" }, new[] { "a", "v" })]
    [InlineData(new[] { "" }, new[] { "a", "dotted.name", "p", "v" })]
    public void Filters_select_what_containerd_would_select(string[] filters, string[] expected)
    {
        var listed = _harness.Snapshotter.List(filters).Select(info => info.Name).Order().ToList();

        Assert.Equal(expected.Order().ToList(), listed);
    }

    [Fact]
    public void Update_with_label_paths_sets_and_removes_single_labels()
    {
        _harness.Snapshotter.Update("v", NoLabels, ["labels"]);
        _harness.Snapshotter.Update("v", new Dictionary<string, string> { ["x"] = "1", ["ignored"] = "2" }, ["labels.x", "labels.l"]);

        var labels = _harness.Snapshotter.Stat("v").Labels;

        Assert.Equal(new Dictionary<string, string> { ["x"] = "1" }, labels);
    }
}
