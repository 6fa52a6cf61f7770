namespace Soci.Demo;

/// <summary>The three ways the benchmark starts the image.</summary>
public enum RunKind
{
    /// <summary>containerd's own path: `ctr images pull` (full download onto overlayfs), then `ctr run`.</summary>
    Overlayfs,

    /// <summary>`soci image rpull` of the SOCI-enabled image, then `ctr run --snapshotter soci`: layers stay remote.</summary>
    Lazy,

    /// <summary>The same commands for the image without a SOCI index: every layer takes the local-fallback path.</summary>
    Fallback,
}
