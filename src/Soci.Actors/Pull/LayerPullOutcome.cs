namespace Soci.Actors.Pull;

/// <summary>How one layer got into the snapshotter.</summary>
public enum LayerPullOutcome
{
    /// <summary>The snapshot existed already (an earlier pull, or an image sharing the layer).</summary>
    AlreadyPresent,

    /// <summary>The snapshotter answered AlreadyExists: it serves the layer lazily (or unpacked it itself); nothing was downloaded here.</summary>
    Remote,

    /// <summary>The snapshotter handed back mounts: the blob was downloaded and containerd's applier unpacked it.</summary>
    Unpacked,
}
