namespace Soci.TestEnvironment.Containerd;

/// <summary>How a private containerd is configured for a test.</summary>
public sealed record ContainerdOptions
{
    /// <summary>The unix socket of our snapshotter daemon, registered as the `soci` proxy plugin; none if null.</summary>
    public string? SociSocket { get; init; }

    /// <summary>Keep containerd's CRI plugin loaded (it is disabled by default: most tests do not need it).</summary>
    public bool EnableCri { get; init; }

    public static ContainerdOptions Default { get; } = new();
}
