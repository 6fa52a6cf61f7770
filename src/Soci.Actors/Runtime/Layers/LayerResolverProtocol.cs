namespace Soci.Actors.Runtime.Layers;

/// <summary>Resolve a layer for a mount; answered with <see cref="LayerResolved"/> (holding one reference) or <see cref="LayerResolutionFailed"/>.</summary>
public sealed record ResolveLayer(LayerRequest Request) : ISociMessage;

/// <summary>Resolve these layers ahead of their mounts; they stay in the cache unreferenced. No answer.</summary>
public sealed record PreResolveLayers(IReadOnlyList<LayerRequest> Requests) : ISociMessage;

/// <summary>A referenced layer for its requester, who must send <see cref="ReleaseLayer"/> when done. Local only (carries the live layer).</summary>
public sealed record LayerResolved(RuntimeLayer Layer);

public sealed record LayerResolutionFailed(LayerKey Key, string Reason) : ISociMessage;

/// <summary>Drops the requester's reference; <paramref name="Evict"/> also removes the layer from the cache (unmount).</summary>
public sealed record ReleaseLayer(RuntimeLayer Layer, bool Evict);

/// <summary>Asks for the cache's counts; answered with <see cref="LayerCacheStatus"/>.</summary>
public sealed record GetLayerCacheStatus : ISociMessage
{
    public static GetLayerCacheStatus Instance { get; } = new();
}

public sealed record LayerCacheStatus(int Cached, int Live, int Resolving, int PreResolveQueued) : ISociMessage;
