using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment;

/// <summary>Our own daemon, out/soci-snapshotter-grpc, serving on a socket in the test directory.</summary>
public sealed class SnapshotterDaemonProcess
{
    private readonly ManagedProcess _process;

    private SnapshotterDaemonProcess(ManagedProcess process, string socket, string root)
    {
        _process = process;
        Socket = socket;
        Root = root;
    }

    public string Socket { get; }

    public string Root { get; }

    public ManagedProcess Process => _process;

    public static async Task<SnapshotterDaemonProcess> StartAsync(TestDirectory owner, params string[] extraArguments)
    {
        var directory = owner.Sub($"soci-{Guid.NewGuid().ToString("N")[..6]}");
        var socket = Path.Combine(directory, "run", "soci-snapshotter-grpc.sock");
        var root = Path.Combine(directory, "root");
        var process = ManagedProcess.Start(owner, $"soci-snapshotter-grpc-{Path.GetFileName(directory)}",
            RepositoryPaths.Executable("soci-snapshotter-grpc"),
            ["--address", socket, "--root", root, "--log-level", "debug", .. extraArguments]);
        var daemon = new SnapshotterDaemonProcess(process, socket, root);
        await process.WaitUntilReadyAsync(daemon.NotServingBecause, TimeSpan.FromSeconds(30), "soci-snapshotter-grpc");
        return daemon;
    }

    /// <summary>A gRPC channel to the daemon's unix socket (HTTP/2 without TLS, as containerd connects).</summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
        },
    });

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    private async Task<string?> NotServingBecause()
    {
        if (!File.Exists(Socket))
        {
            return $"{Socket} does not exist yet";
        }

        using var channel = CreateChannel();
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : $"health status {reply.Status}";
        }
        catch (Grpc.Core.RpcException error)
        {
            return error.Status.ToString();
        }
    }
}
