using System.Net.Sockets;
using Containerd.Services.Snapshots.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Processes;

namespace Soci.Snapshotter.Tests;

/// <summary>
/// out/soci-snapshotter-grpc on a root and socket the test chooses, so a test can kill it and start another daemon
/// on the same state. The test directory owns the process.
/// </summary>
public sealed class DaemonOnRoot
{
    private DaemonOnRoot(ManagedProcess process, string socket)
    {
        Process = process;
        Socket = socket;
    }

    public ManagedProcess Process { get; }

    public string Socket { get; }

    public static async Task<DaemonOnRoot> StartAsync(TestDirectory owner, string root, string socket)
    {
        var process = ManagedProcess.Start(owner, $"soci-snapshotter-grpc-{Guid.NewGuid().ToString("N")[..6]}",
            RepositoryPaths.Executable("soci-snapshotter-grpc"), ["--address", socket, "--root", root, "--log-level", "debug"]);
        var daemon = new DaemonOnRoot(process, socket);
        await process.WaitUntilReadyAsync(daemon.NotServingBecause, TimeSpan.FromSeconds(30), "soci-snapshotter-grpc");
        return daemon;
    }

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
        },
    });

    public Snapshots.SnapshotsClient Client(GrpcChannel channel) => new(channel);

    /// <summary>SIGKILL (what Process.Kill sends on Linux): no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        using (var victim = System.Diagnostics.Process.GetProcessById(Process.Pid))
        {
            victim.Kill();
        }

        while (Process.IsRunning)
        {
            await Task.Delay(20);
        }
    }

    private async Task<string?> NotServingBecause()
    {
        if (!File.Exists(Socket))
        {
            return $"{Socket} does not exist yet";
        }

        using var channel = CreateChannel();
        try
        {
            using var call = Client(channel).List(new ListSnapshotsRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            await call.ResponseStream.MoveNext(CancellationToken.None);
            return null;
        }
        catch (RpcException error)
        {
            return error.Status.ToString();
        }
    }
}
