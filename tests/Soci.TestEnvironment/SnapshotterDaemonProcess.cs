using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment;

/// <summary>Our own daemon, out/soci-snapshotter-grpc, serving on a socket in the test directory.</summary>
public sealed class SnapshotterDaemonProcess
{
    private readonly TestDirectory _owner;
    private readonly string _name;
    private readonly string[] _arguments;
    private ManagedProcess _process;

    private SnapshotterDaemonProcess(TestDirectory owner, string name, string[] arguments, string socket, string root)
    {
        _owner = owner;
        _name = name;
        _arguments = arguments;
        Socket = socket;
        Root = root;
        _process = Launch();
    }

    public string Socket { get; }

    public string Root { get; }

    public ManagedProcess Process => _process;

    public static async Task<SnapshotterDaemonProcess> StartAsync(TestDirectory owner, params string[] extraArguments)
    {
        var directory = owner.Sub($"soci-{Guid.NewGuid().ToString("N")[..6]}");
        var socket = Path.Combine(directory, "run", "soci-snapshotter-grpc.sock");
        var root = Path.Combine(directory, "root");
        var daemon = new SnapshotterDaemonProcess(owner, $"soci-snapshotter-grpc-{Path.GetFileName(directory)}",
            ["--address", socket, "--root", root, "--log-level", "debug", .. extraArguments], socket, root);
        await daemon.WaitUntilServingAsync();
        return daemon;
    }

    /// <summary>Stops the daemon with SIGTERM (its mounts stay, as after a crash or an upgrade) and starts it again
    /// on the same socket and root, returning once it serves. <paramref name="emptyRoot"/> starts it with nothing
    /// of its previous state (snapshots, ztocs, metadata), as on a fresh node.</summary>
    public async Task RestartAsync(bool emptyRoot = false)
    {
        await StopAsync();
        if (emptyRoot && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        _process = Launch();
        await WaitUntilServingAsync();
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

    private ManagedProcess Launch() =>
        ManagedProcess.Start(_owner, _name, RepositoryPaths.Executable("soci-snapshotter-grpc"), _arguments);

    private Task WaitUntilServingAsync() =>
        _process.WaitUntilReadyAsync(NotServingBecause, TimeSpan.FromSeconds(30), "soci-snapshotter-grpc");

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
