using System.Net.Sockets;

namespace Soci.Snapshotter.Grpc;

/// <summary>The unix socket the daemon serves containerd on.</summary>
public sealed record ListenAddress(string SocketPath)
{
    private const string UnixScheme = "unix://";

    public static ListenAddress Parse(string address)
    {
        if (address.StartsWith("fd://", StringComparison.Ordinal))
        {
            throw new ArgumentException("systemd socket activation (fd://) is not supported; pass a unix socket path");
        }

        var path = address.StartsWith(UnixScheme, StringComparison.Ordinal) ? address[UnixScheme.Length..] : address;
        if (path.Length == 0 || !Path.IsPathRooted(path))
        {
            throw new ArgumentException($"listen address \"{address}\" must be an absolute unix socket path");
        }

        return new ListenAddress(path);
    }

    /// <summary>
    /// Creates the socket's directory (0700, so only root reaches the socket) and removes a socket left by a killed
    /// daemon, which would otherwise make the listen fail with "address already in use".
    /// </summary>
    public void PrepareForListen()
    {
        var directory = Path.GetDirectoryName(SocketPath)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(SocketPath))
        {
            return;
        }

        if (SomeoneIsListening())
        {
            throw new IOException($"another process is already serving {SocketPath}");
        }

        File.Delete(SocketPath);
    }

    private bool SomeoneIsListening()
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
