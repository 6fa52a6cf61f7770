namespace Soci.Actors.Pull;

/// <summary>What a pull is doing to one item (the image itself or a layer), for progress displays.</summary>
public enum PullStage
{
    Resolving,
    Resolved,
    Checking,
    Downloading,
    Unpacking,
    Remote,
    AlreadyPresent,
    Unpacked,
    Done,
}

/// <summary>
/// A progress report: <paramref name="Item"/> is the image reference or a layer digest, <paramref name="Current"/>
/// and <paramref name="Total"/> are bytes while downloading (otherwise 0).
/// </summary>
public sealed record PullProgress(string Item, PullStage Stage, long Current = 0, long Total = 0);
