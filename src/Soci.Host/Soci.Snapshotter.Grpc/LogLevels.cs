using Microsoft.Extensions.Logging;

namespace Soci.Snapshotter.Grpc;

/// <summary>Maps upstream's logrus level names onto Microsoft.Extensions.Logging levels.</summary>
public static class LogLevels
{
    public static readonly string[] Names = ["trace", "debug", "info", "warn", "error", "fatal", "panic"];

    public static LogLevel Parse(string name) => name switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" or "panic" => LogLevel.Critical,
        _ => throw new ArgumentException($"unknown log level \"{name}\"; must be one of {string.Join(", ", Names)}", nameof(name)),
    };
}
