using Soci.Actors.Pull;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Processes;

namespace Soci.Pull.Tests;

/// <summary>
/// rpull of the synthetic image (no SOCI index, so the daemon hands every layer back to the puller) into a private
/// containerd whose `soci` snapshotter is our daemon.
/// </summary>
public sealed class SyntheticImagePullTests
{
    [Fact]
    public async Task Rpull_records_the_image_and_commits_every_layer_under_its_chainID_in_the_soci_snapshotter()
    {
        await using var stack = await PullStack.StartAsync("rpull-synthetic");
        var reference = await stack.PushSyntheticAsync();

        var result = await stack.RpullAsync(reference);

        Assert.Equal(reference, result.ImageName);
        Assert.Equal(3, result.Layers.Count);
        Assert.All(result.Layers, layer => Assert.Equal(LayerPullOutcome.Unpacked, layer.Outcome));
        Assert.Contains(reference, await stack.CtrLinesAsync("images", "list", "--quiet"));
        var snapshots = string.Join('\n', await stack.CtrLinesAsync("snapshots", "--snapshotter", "soci", "list"));
        foreach (var layer in result.Layers)
        {
            Assert.Contains(layer.ChainId, snapshots);
        }

        Assert.Empty(await stack.CtrLinesAsync("leases", "list", "--quiet"));
    }

    [Fact]
    public async Task Unpacked_layers_merge_to_the_image_files_with_whiteouts_and_xattrs_applied()
    {
        await using var stack = await PullStack.StartAsync("rpull-files");
        var result = await stack.RpullAsync(await stack.PushSyntheticAsync());
        var root = stack.Directory.Sub("view");
        // One ctr call creates the view and prints its mount command: a view carries no gc.root label and ctr holds
        // no lease on it, so containerd's garbage collector (woken by the end of rpull's lease) may remove it before
        // a second call could ask for its mounts.
        var mount = (await stack.Containerd.CtrAsync("snapshots", "--snapshotter", "soci", "view", "--target", root, "files-view", result.Layers[^1].ChainId)).EnsureSuccess();
        (await CommandRunner.RunAsync("sh", "-c", mount.StandardOutput)).EnsureSuccess();
        try
        {
            foreach (var (path, content) in SyntheticImage.FinalFiles)
            {
                Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(root, path)));
            }

            Assert.False(File.Exists(Path.Combine(root, "etc/removed-later")));
            Assert.False(File.Exists(Path.Combine(root, "opaque/hidden-by-opaque")));
            var xattr = (await CommandRunner.RunAsync("getfattr", "--only-values", "-n", "user.soci-test", Path.Combine(root, "dir/xattr-file"))).EnsureSuccess();
            Assert.Equal("value", xattr.StandardOutput);
        }
        finally
        {
            await CommandRunner.RunAsync("umount", root);
        }
    }

    [Fact]
    public async Task A_second_rpull_finds_every_layer_already_present_and_downloads_nothing()
    {
        await using var stack = await PullStack.StartAsync("rpull-twice");
        var reference = await stack.PushSyntheticAsync();
        await stack.RpullAsync(reference);

        var again = await stack.RpullAsync(reference);

        Assert.All(again.Layers, layer => Assert.Equal(LayerPullOutcome.AlreadyPresent, layer.Outcome));
        Assert.Equal(0, again.BytesDownloaded);
    }

    [Fact]
    public async Task Removing_the_pulled_image_leaves_no_content_snapshot_or_lease_behind()
    {
        await using var stack = await PullStack.StartAsync("rpull-gc");
        var reference = await stack.PushSyntheticAsync();
        await stack.RpullAsync(reference);
        Assert.NotEmpty(await stack.CtrLinesAsync("content", "list", "--quiet"));

        (await stack.Containerd.CtrAsync("images", "remove", "--sync", reference)).EnsureSuccess();

        Assert.Empty(await stack.CtrLinesAsync("content", "list", "--quiet"));
        Assert.Empty(await stack.CtrLinesAsync("leases", "list", "--quiet"));
        var snapshots = await stack.CtrLinesAsync("snapshots", "--snapshotter", "soci", "list");
        Assert.True(snapshots.Count <= 1, "only the header may remain:\n" + string.Join('\n', snapshots));
    }

    [Fact]
    public async Task The_cli_pulls_through_containerd_address_and_namespace_and_names_each_layer()
    {
        await using var stack = await PullStack.StartAsync("rpull-cli");
        var reference = await stack.PushSyntheticAsync();

        var pull = (await stack.SociAsync("image", "rpull", "--plain-http", reference)).EnsureSuccess();

        Assert.Contains($"pulled {reference}", pull.StandardOutput);
        Assert.Equal(3, pull.StandardOutput.Split('\n').Count(line => line.StartsWith("layer sha256:", StringComparison.Ordinal)));
        Assert.Contains(reference, await stack.CtrLinesAsync("images", "list", "--quiet"));
        Assert.Equal(PrivateContainerd.Namespace, (await stack.CtrLinesAsync("namespaces", "list", "--quiet")).Single());
    }
}
