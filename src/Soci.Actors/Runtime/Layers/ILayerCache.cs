namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// Resolved layers by key, bounded, with references: a layer leaves the cache when evicted but is closed only
/// once nobody holds it. Kept behind an interface so a sharded (cluster-wide) placement can replace it.
/// Not thread-safe: its owner (the resolver actor) serializes access.
/// </summary>
public interface ILayerCache
{
    int Count { get; }

    /// <summary>Layers alive: cached ones plus evicted ones still referenced.</summary>
    int LiveLayers { get; }

    bool Contains(LayerKey key);

    /// <summary>On a hit takes a reference and marks the layer most recently used.</summary>
    bool TryAcquire(LayerKey key, out RuntimeLayer layer);

    /// <summary>Inserts an unreferenced layer; returns the layers to close because they were evicted unreferenced.</summary>
    IReadOnlyList<RuntimeLayer> Add(RuntimeLayer layer);

    /// <summary>Drops a reference; returns the layer when it must now be closed (evicted and unreferenced).</summary>
    RuntimeLayer? Release(RuntimeLayer layer);

    /// <summary>Removes the key from the cache; returns the layer when it must now be closed (unreferenced).</summary>
    RuntimeLayer? Evict(LayerKey key);

    /// <summary>Forgets everything; returns every live layer, referenced or not, for closing.</summary>
    IReadOnlyList<RuntimeLayer> Clear();
}
