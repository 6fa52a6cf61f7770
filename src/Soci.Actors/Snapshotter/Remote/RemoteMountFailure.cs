namespace Soci.Actors.Snapshotter.Remote;

/// <summary>Why a remote mount failed; decides Prepare's fallback (snapshotter.md §5.1 step 4).</summary>
public enum RemoteMountFailure
{
    /// <summary>The image has an index but this layer has no ztoc (sparse index): unpack it locally.</summary>
    NoZtocForLayer,

    /// <summary>No usable SOCI index for the image: defer the whole layer to containerd.</summary>
    NoValidSociIndex,

    /// <summary>Anything else: unpack locally.</summary>
    Failed,
}
