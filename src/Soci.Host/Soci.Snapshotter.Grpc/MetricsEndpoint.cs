using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;
using Soci.Actors.Runtime;

namespace Soci.Snapshotter.Grpc;

/// <summary>
/// The operator's endpoint (snapshotter.md, metrics): Prometheus <c>/metrics</c> and <c>/healthz</c> over HTTP/1.1 on
/// <c>soci.metrics_address</c>, a TCP <c>host:port</c> or a unix socket path per <c>soci.metrics_network</c>. It is
/// a second Kestrel listener of the daemon's host and answers only there: the containerd socket stays gRPC-only.
/// </summary>
public sealed class MetricsEndpoint
{
    private readonly RuntimeSettings _settings;

    public MetricsEndpoint(RuntimeSettings settings) => _settings = settings;

    public bool Enabled => _settings.MetricsAddress.Length > 0 && !_settings.NoPrometheus;

    /// <summary>The host filter the endpoints require, e.g. <c>127.0.0.1:9090</c>; unix sockets carry no host.</summary>
    private string HostFilter => _settings.MetricsNetwork == "unix" ? "*" : $"*:{TcpEndPoint().Port}";

    /// <exception cref="ArgumentException">The address is not a usable <c>host:port</c>.</exception>
    public void Listen(KestrelServerOptions kestrel)
    {
        if (!Enabled)
        {
            return;
        }

        if (_settings.MetricsNetwork == "unix")
        {
            if (File.Exists(_settings.MetricsAddress))
            {
                File.Delete(_settings.MetricsAddress);
            }

            kestrel.ListenUnixSocket(_settings.MetricsAddress, listen => listen.Protocols = HttpProtocols.Http1);
        }
        else
        {
            kestrel.Listen(TcpEndPoint(), listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    public void Map(WebApplication app)
    {
        if (!Enabled)
        {
            return;
        }

        app.MapMetrics("/metrics").RequireHost(HostFilter);
        app.MapHealthChecks("/healthz").RequireHost(HostFilter);
    }

    private IPEndPoint TcpEndPoint()
    {
        var address = _settings.MetricsAddress;
        if (address.StartsWith(':'))
        {
            address = "0.0.0.0" + address;
        }

        return IPEndPoint.TryParse(address, out var endPoint) && endPoint.Port > 0
            ? endPoint
            : throw new ArgumentException($"soci.metrics_address = \"{_settings.MetricsAddress}\": expected host:port with a numeric host");
    }
}
