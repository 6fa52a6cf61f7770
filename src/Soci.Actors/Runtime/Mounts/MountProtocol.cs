using Soci.Actors.Snapshotter.Remote;

namespace Soci.Actors.Runtime.Mounts;

/// <summary>Mount a layer lazily; answered with <see cref="MountSucceeded"/> or <see cref="MountFailed"/>.</summary>
public sealed record MountLayer(string MountPoint, IReadOnlyDictionary<string, string> Labels) : ISociMessage;

public sealed record MountSucceeded(string MountPoint) : ISociMessage;

public sealed record MountFailed(string MountPoint, RemoteMountFailure Failure, string Reason) : ISociMessage;

/// <summary>Can the mount serve reads? Answered with <see cref="CheckSucceeded"/> or <see cref="CheckFailed"/>.</summary>
public sealed record CheckMount(string MountPoint) : ISociMessage;

public sealed record CheckSucceeded(string MountPoint) : ISociMessage;

public sealed record CheckFailed(string MountPoint, string Reason) : ISociMessage;

/// <summary>Unmount and forget; answered with <see cref="Unmounted"/> or <see cref="UnmountFailed"/>.</summary>
public sealed record UnmountLayer(string MountPoint) : ISociMessage;

public sealed record Unmounted(string MountPoint) : ISociMessage;

public sealed record UnmountFailed(string MountPoint, string Reason) : ISociMessage;

/// <summary>Published on the event stream (and reported on Check) when a mount can no longer serve.</summary>
public sealed record MountPermanentlyFailed(string MountPoint, string Reason) : ISociMessage;

/// <summary>Published on the event stream after a hung serving loop was restarted.</summary>
public sealed record ServingLoopRestarted(string MountPoint, int AbandonedRequests, string HungRequest) : ISociMessage;
