namespace Soci.Actors.Snapshotter;

/// <summary>The snapshotter's settings (the <c>[snapshotter]</c> table of upstream's config, snapshotter.md §2.2).</summary>
public sealed record SnapshotterOptions
{
    /// <summary>Layers whose <c>soci.size</c> label is below this are never mounted remotely (0 = no minimum).</summary>
    public long MinLayerSize { get; init; }

    /// <summary>
    /// Upstream refuses to start when a remote snapshot cannot be restored unless this is set. Here restore never
    /// blocks start-up; a snapshot that cannot be restored is served as unavailable either way, and this only
    /// lowers that report from an error to a warning.
    /// </summary>
    public bool AllowInvalidMountsOnRestart { get; init; }

    /// <summary>
    /// How long a request that needs a remote layer still being restored after a restart waits for that restore
    /// before it is answered Unavailable: a `ctr run` just after a restart then works instead of failing.
    /// </summary>
    public TimeSpan RestoreWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static SnapshotterOptions Default { get; } = new();
}
