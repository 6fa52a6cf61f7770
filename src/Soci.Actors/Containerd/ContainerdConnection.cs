using System.Net.Sockets;
using Containerd.Services.Content.V1;
using Containerd.Services.Diff.V1;
using Containerd.Services.Images.V1;
using Containerd.Services.Leases.V1;
using Containerd.Services.Snapshots.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Soci.Actors.Containerd;

/// <summary>
/// A gRPC connection to containerd's unix socket, bound to one namespace. Every call carries the namespace header
/// and, inside a lease, the lease header, which is how containerd scopes and garbage-collection-protects what a
/// client creates.
/// </summary>
public sealed class ContainerdConnection : IDisposable
{
    public const string NamespaceHeader = "containerd-namespace";
    public const string LeaseHeader = "containerd-lease";

    /// <summary>containerd's own limit; large content goes in smaller chunks anyway.</summary>
    private const int MaxMessageBytes = 16 << 20;

    private readonly GrpcChannel _channel;

    private ContainerdConnection(GrpcChannel channel, string socketPath, string @namespace)
    {
        _channel = channel;
        SocketPath = socketPath;
        Namespace = @namespace;
        Content = new Content.ContentClient(channel);
        Snapshots = new Snapshots.SnapshotsClient(channel);
        Images = new Images.ImagesClient(channel);
        Leases = new Leases.LeasesClient(channel);
        Diff = new Diff.DiffClient(channel);
    }

    public string SocketPath { get; }

    public string Namespace { get; }

    public Content.ContentClient Content { get; }

    public Snapshots.SnapshotsClient Snapshots { get; }

    public Images.ImagesClient Images { get; }

    public Leases.LeasesClient Leases { get; }

    public Diff.DiffClient Diff { get; }

    /// <summary>
    /// Connects lazily to <paramref name="address"/> (a socket path, optionally prefixed <c>unix://</c>, as the CLI's
    /// <c>--address</c> takes it); the first call fails with a clear error if nothing listens there.
    /// </summary>
    public static ContainerdConnection Open(string address, string @namespace)
    {
        if (string.IsNullOrWhiteSpace(@namespace))
        {
            throw new ArgumentException("containerd namespace must not be empty", nameof(@namespace));
        }

        var socketPath = address.StartsWith("unix://", StringComparison.Ordinal) ? address["unix://".Length..] : address;
        if (socketPath.Length == 0 || socketPath.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"containerd address \"{address}\" is not a unix socket path", nameof(address));
        }

        // HTTP/2 without TLS over the unix socket; the authority is not used by containerd.
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellation) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });
        return new ContainerdConnection(channel, socketPath, @namespace);
    }

    /// <summary>Call options with the namespace header, and the lease header when <paramref name="leaseId"/> is given.</summary>
    public CallOptions Call(string? leaseId, CancellationToken cancellationToken)
    {
        var headers = new Metadata { { NamespaceHeader, Namespace } };
        if (leaseId is not null)
        {
            headers.Add(LeaseHeader, leaseId);
        }

        return new CallOptions(headers, cancellationToken: cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
