namespace Soci.Actors.Containerd;

/// <summary>
/// The labels containerd's garbage collector and its unpacker read (containerd's gc and metadata packages). A
/// resource is kept alive by a lease or by a chain of gc.ref labels from an image record.
/// </summary>
public static class ContainerdLabels
{
    /// <summary>On a lease: when it expires on its own (RFC 3339), so a crashed client leaks nothing for long.</summary>
    public const string GcExpire = "containerd.io/gc.expire";

    /// <summary>On content: keeps the named snapshot (of the snapshotter in the suffix) alive.</summary>
    public const string GcRefSnapshotPrefix = "containerd.io/gc.ref.snapshot.";

    /// <summary>On a manifest: keeps its config blob alive.</summary>
    public const string GcRefContentConfig = "containerd.io/gc.ref.content.config";

    /// <summary>On an index: keeps its i-th child manifest alive (suffix = position in the index).</summary>
    public const string GcRefContentManifestPrefix = "containerd.io/gc.ref.content.m.";

    /// <summary>On a layer blob: the digest of its uncompressed tar (the diffID); containerd's applier reads it.</summary>
    public const string Uncompressed = "containerd.io/uncompressed";

    /// <summary>On content: the repository (value) on the registry host (suffix) it came from.</summary>
    public const string DistributionSourcePrefix = "containerd.io/distribution.source.";

    /// <summary>On a snapshot: the committed name the client asked for (the layer's chainID).</summary>
    public const string SnapshotReference = "containerd.io/snapshot.ref";

    public static string GcRefSnapshot(string snapshotter) => GcRefSnapshotPrefix + snapshotter;

    public static string GcRefContentManifest(int position) => GcRefContentManifestPrefix + position.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string DistributionSource(string registryHost) => DistributionSourcePrefix + registryHost;
}
