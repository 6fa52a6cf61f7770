using Akka.Configuration;
using Soci.Actors.Runtime;
using Soci.Actors.Snapshotter;

namespace Soci.Snapshotter.Grpc;

/// <summary>
/// The daemon's configuration: an operator's HOCON file (optional) over the reference configuration
/// (hocon/soci.conf), read once at start into the snapshotter's and the runtime's settings. The whole merged
/// <see cref="Config"/> is kept too, because its <c>akka</c> section configures the actor system.
/// </summary>
public sealed record DaemonConfiguration(Config Config, RuntimeSettings Runtime, SnapshotterOptions Snapshotter)
{
    /// <summary>Where the daemon looks when <c>--config</c> is not given; a missing default file means "all defaults".</summary>
    public const string DefaultPath = "/etc/soci-snapshotter-grpc/soci.conf";

    /// <exception cref="ArgumentException">The file is missing (when named explicitly), unreadable as HOCON, or a value is invalid.</exception>
    public static DaemonConfiguration Load(string? path)
    {
        var explicitPath = path is { Length: > 0 };
        var file = explicitPath ? path! : DefaultPath;
        if (!File.Exists(file))
        {
            return explicitPath ? throw new ArgumentException($"config file {file} does not exist") : From(RuntimeConfiguration.Reference, file);
        }

        Config overrides;
        try
        {
            overrides = ConfigurationFactory.ParseString(File.ReadAllText(file));
        }
        catch (Exception error) when (error is ConfigurationException or FormatException)
        {
            throw new ArgumentException($"config file {file} is not valid HOCON: {error.Message}", error);
        }

        return From(overrides.WithFallback(RuntimeConfiguration.Reference), file);
    }

    private static DaemonConfiguration From(Config config, string file)
    {
        try
        {
            var snapshotter = config.GetConfig("soci.snapshotter");
            var minLayerSize = snapshotter.GetLong("min_layer_size", 0);
            if (minLayerSize < 0)
            {
                throw new ConfigurationException($"soci.snapshotter.min_layer_size = {minLayerSize}: must not be negative");
            }

            return new DaemonConfiguration(
                config,
                RuntimeSettings.Create(config),
                new SnapshotterOptions
                {
                    MinLayerSize = minLayerSize,
                    AllowInvalidMountsOnRestart = snapshotter.GetBoolean("allow_invalid_mounts_on_restart", false),
                    RestoreWaitTimeout = snapshotter.GetTimeSpan("restore_wait_timeout", TimeSpan.FromSeconds(30)),
                });
        }
        catch (Exception error) when (error is ConfigurationException or FormatException)
        {
            throw new ArgumentException($"config {file}: {error.Message}", error);
        }
    }
}
