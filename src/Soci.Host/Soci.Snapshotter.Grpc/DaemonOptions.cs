using System.CommandLine;

namespace Soci.Snapshotter.Grpc;

/// <summary>The daemon's flags (snapshotter.md §1); each falls back to its environment variable, then to upstream's default.</summary>
public static class DaemonOptions
{
    public static readonly Option<string> Address = new("--address")
    {
        Description = "gRPC listen address: a unix socket path, or unix://<path>",
        DefaultValueFactory = _ => FromEnvironment("SOCI_SNAPSHOTTER_ADDRESS", "/run/soci-snapshotter-grpc/soci-snapshotter-grpc.sock"),
    };

    public static readonly Option<string> Root = new("--root")
    {
        Description = "root directory for the snapshotter's state",
        DefaultValueFactory = _ => FromEnvironment("SOCI_SNAPSHOTTER_ROOT", "/var/lib/soci-snapshotter-grpc/"),
    };

    public static readonly Option<string> LogLevel = new("--log-level")
    {
        Description = "log level: trace, debug, info, warn, error, fatal, panic",
        DefaultValueFactory = _ => FromEnvironment("SOCI_SNAPSHOTTER_LOG_LEVEL", "info"),
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = $"HOCON configuration file (default {DaemonConfiguration.DefaultPath} when it exists)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SOCI_SNAPSHOTTER_CONFIG"),
    };

    public static void AddTo(RootCommand root)
    {
        LogLevel.AcceptOnlyFromAmong(LogLevels.Names);
        root.Options.Add(Address);
        root.Options.Add(Root);
        root.Options.Add(LogLevel);
        root.Options.Add(Config);
    }

    private static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
}
