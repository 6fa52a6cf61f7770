using Grpc.Core;

namespace Soci.Actors.Containerd;

/// <summary>A containerd call failed; the message says what was being done and what containerd answered.</summary>
public sealed class ContainerdException : Exception
{
    public ContainerdException(string message, StatusCode status, Exception? inner = null) : base(message, inner) => Status = status;

    public ContainerdException()
    {
    }

    public ContainerdException(string message) : base(message)
    {
    }

    public ContainerdException(string message, Exception inner) : base(message, inner)
    {
    }

    public StatusCode Status { get; }

    /// <summary>Wraps a failed call: an unreachable socket is reported as such, anything else with containerd's own detail.</summary>
    public static ContainerdException From(RpcException error, string action, string socketPath)
    {
        var message = error.StatusCode == StatusCode.Unavailable
            ? $"{action}: containerd is not reachable at {socketPath} ({UnreachableReason(error, socketPath)})"
            : $"{action}: {error.Status.Detail} ({error.StatusCode})";
        return new ContainerdException(message, error.StatusCode, error);
    }

    /// <summary>
    /// Why the socket did not answer, in the socket's terms: the gRPC client's own detail names the placeholder
    /// HTTP address it dials through the socket ("localhost:80"), which would only mislead.
    /// </summary>
    private static string UnreachableReason(RpcException error, string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return "no such socket";
        }

        for (var inner = error.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
            {
                return $"{socket.SocketErrorCode}: nothing accepts connections on the socket";
            }
        }

        return error.Status.Detail;
    }
}
