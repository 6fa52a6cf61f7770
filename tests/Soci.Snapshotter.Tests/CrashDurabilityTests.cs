using System.Collections.Concurrent;
using Containerd.Services.Snapshots.V1;
using Grpc.Core;
using Soci.TestEnvironment;

namespace Soci.Snapshotter.Tests;

/// <summary>SIGKILL in the middle of a stream of operations loses nothing containerd was told about and leaves no orphans.</summary>
public sealed class CrashDurabilityTests
{
    private const int Layers = 60;
    private const int KillAfterCommits = 20;

    [Fact]
    public async Task Killing_the_daemon_mid_operation_keeps_every_acknowledged_commit_and_leaves_no_orphaned_directory()
    {
        await using var directory = TestDirectory.Create("snap-crash");
        var root = directory.Sub("root");
        var socket = Path.Combine(directory.Sub("run"), "soci.sock");
        var daemon = await DaemonOnRoot.StartAsync(directory, root, socket);
        var acknowledged = new ConcurrentBag<string>();

        using (var channel = daemon.CreateChannel())
        {
            var client = daemon.Client(channel);
            var enoughCommits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, Layers).Select(i => Task.Run(async () =>
            {
                try
                {
                    var key = $"ns/{i}/extract";
                    var prepared = await client.PrepareAsync(new PrepareSnapshotRequest { Key = key });
                    await File.WriteAllTextAsync(Path.Combine(prepared.Mounts[0].Source, "layer"), $"layer {i}");
                    await client.CommitAsync(new CommitSnapshotRequest { Name = $"layer-{i}", Key = key });
                    acknowledged.Add($"layer-{i}");
                    if (acknowledged.Count >= KillAfterCommits)
                    {
                        enoughCommits.TrySetResult();
                    }
                }
                catch (Exception error) when (error is RpcException or IOException or HttpRequestException)
                {
                    // Calls in flight when the daemon dies fail; containerd would have seen the same failure.
                }
            })).ToList();

            await enoughCommits.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await daemon.KillAsync();
            await Task.WhenAll(workers);
        }

        var restarted = await DaemonOnRoot.StartAsync(directory, root, socket);
        using var again = restarted.CreateChannel();
        var client2 = restarted.Client(again);
        var infos = await ListAsync(client2);
        var names = infos.Select(info => info.Name).ToHashSet();

        Assert.True(acknowledged.Count >= KillAfterCommits);
        foreach (var name in acknowledged)
        {
            Assert.Contains(name, names);
            var view = await client2.ViewAsync(new ViewSnapshotRequest { Key = name + "-check", Parent = name });
            var source = Assert.Single(view.Mounts).Source;
            Assert.Equal($"layer {name["layer-".Length..]}", await File.ReadAllTextAsync(Path.Combine(source, "layer")));
        }

        var snapshotDirectories = Directory.GetDirectories(Path.Combine(root, "snapshotter", "snapshots"));
        Assert.Equal(infos.Count + acknowledged.Count, snapshotDirectories.Length); // every snapshot, plus the check views
        Assert.DoesNotContain(snapshotDirectories, path => Path.GetFileName(path).StartsWith("new-", StringComparison.Ordinal));
    }

    private static async Task<List<Info>> ListAsync(Snapshots.SnapshotsClient client)
    {
        var infos = new List<Info>();
        using var call = client.List(new ListSnapshotsRequest());
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            infos.AddRange(call.ResponseStream.Current.Info);
        }

        return infos;
    }
}
