using System.Runtime.InteropServices;
using Akka.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Soci.Actors;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Runtime.Hosting;
using Soci.Actors.Runtime.Local;
using Soci.Actors.Snapshotter;
using Soci.Actors.Snapshotter.Remote;

namespace Soci.Snapshotter.Grpc;

/// <summary>
/// The daemon process: a gRPC server on a unix socket for containerd's proxy plugin (HTTP/2 without TLS, which is
/// what containerd's grpc-go client speaks), stopped gracefully on SIGINT or SIGTERM. SIGINT also unmounts every
/// remote layer; SIGTERM leaves them for the next start to detach (snapshotter.md §1 step 8). The lazy-loading
/// runtime is an actor system hosted in the same process (Akka.Hosting); registry credentials come from the
/// docker config of the daemon's user, as upstream's do.
/// </summary>
public sealed class SnapshotterDaemon(ListenAddress address, string root, LogLevel logLevel, DaemonConfiguration configuration)
{
    // containerd's proxy client sends and accepts messages up to 16 MiB; ASP.NET's default receive limit is 4 MiB.
    private const int MaxMessageBytes = 16 << 20;

    private const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public async Task RunAsync(CancellationToken cancellation)
    {
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        address.PrepareForListen();

        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging);
        var metrics = new MetricsEndpoint(configuration.Runtime);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(address.SocketPath, listen => listen.Protocols = HttpProtocols.Http2);
            metrics.Listen(kestrel);
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxMessageBytes;
            grpc.MaxSendMessageSize = MaxMessageBytes;
        });
        // Health is computed when asked rather than from a periodically published cache, so a probe right after
        // start already sees the real state.
        builder.Services.AddGrpcHealthChecks(health => health.UseHealthChecksCache = false)
            .AddCheck<RootDirectoryHealthCheck>("root-directory");
        builder.Services.AddSingleton(new RootDirectoryHealthCheck(root));

        using var registry = new RegistryClient(new RegistryClientOptions
        {
            Credentials = new DockerConfigCredentialProvider(DockerConfigCredentialProvider.DefaultPath()),
        });
        builder.Services.AddAkka("soci-snapshotter", akka => akka
            .AddHocon(configuration.Config, HoconAddMode.Prepend)
            .WithSociRuntime(root, configuration.Runtime, registry));
        builder.Services.AddActorRemoteFileSystem(configuration.Runtime, new RegistryLayerUnpacker(registry, Path.Combine(root, "unpack")));
        builder.Services.AddSingleton(services => OverlaySnapshotter.Open(
            Path.Combine(root, "snapshotter"),
            services.GetRequiredService<IRemoteFileSystem>(),
            configuration.Snapshotter,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("snapshotter")));

        await using var app = builder.Build();
        app.MapGrpcHealthChecksService();
        app.MapGrpcService<SnapshotsService>();
        metrics.Map(app);

        var log = app.Logger;
        log.LogInformation("starting soci-snapshotter-grpc version={Version} revision={Revision}", BuildInfo.Version, BuildInfo.Revision);

        // Opened before listening, so stale mounts and orphans are gone before containerd's first call.
        var snapshotter = app.Services.GetRequiredService<OverlaySnapshotter>();
        var interrupted = false;
        // Only records which signal arrived; the host's own handler still performs the shutdown.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => interrupted = true);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            File.SetUnixFileMode(address.SocketPath, SocketMode);
            log.LogInformation("soci-snapshotter-grpc successfully started, serving on {Socket}", address.SocketPath);
        });
        app.Lifetime.ApplicationStopping.Register(() => log.LogInformation("soci-snapshotter-grpc stopping"));

        await app.RunAsync(cancellation);
        await snapshotter.CloseAsync(unmountRemoteLayers: interrupted);
        log.LogInformation("soci-snapshotter-grpc stopped ({Signal})", interrupted ? "remote layers unmounted" : "remote layers left mounted");
    }

    private void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(logLevel);
        // ASP.NET's own chatter stays at warnings unless the operator asks for trace.
        logging.AddFilter("Microsoft", logLevel == LogLevel.Trace ? LogLevel.Trace : LogLevel.Warning);
        logging.AddJsonConsole(json =>
        {
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";
            json.UseUtcTimestamp = true;
        });
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
