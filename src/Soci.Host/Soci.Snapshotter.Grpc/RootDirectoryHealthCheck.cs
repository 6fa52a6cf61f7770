using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Soci.Snapshotter.Grpc;

/// <summary>Healthy while the daemon's root directory is there: everything the daemon stores lives under it.</summary>
public sealed class RootDirectoryHealthCheck(string root) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Directory.Exists(root)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"root directory {root} is missing"));
}
