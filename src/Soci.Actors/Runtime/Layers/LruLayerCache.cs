namespace Soci.Actors.Runtime.Layers;

/// <summary>Least-recently-used <see cref="ILayerCache"/> of a fixed capacity (<c>resolve_result_entry</c>).</summary>
public sealed class LruLayerCache : ILayerCache
{
    private readonly int _capacity;
    private readonly Dictionary<LayerKey, LinkedListNode<RuntimeLayer>> _cached = [];
    private readonly LinkedList<RuntimeLayer> _recency = new();
    private readonly Dictionary<RuntimeLayer, int> _references = new(ReferenceEqualityComparer.Instance);

    public LruLayerCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _cached.Count;

    public int LiveLayers => _references.Count;

    public bool Contains(LayerKey key) => _cached.ContainsKey(key);

    public bool TryAcquire(LayerKey key, out RuntimeLayer layer)
    {
        if (!_cached.TryGetValue(key, out var node))
        {
            layer = null!;
            return false;
        }

        _recency.Remove(node);
        _recency.AddFirst(node);
        layer = node.Value;
        _references[layer]++;
        return true;
    }

    public IReadOnlyList<RuntimeLayer> Add(RuntimeLayer layer)
    {
        if (_cached.ContainsKey(layer.Key))
        {
            throw new InvalidOperationException($"layer {layer.Key} is already cached");
        }

        _cached[layer.Key] = _recency.AddFirst(layer);
        _references[layer] = 0;
        var closing = new List<RuntimeLayer>();
        while (_cached.Count > _capacity)
        {
            if (Evict(_recency.Last!.Value.Key) is { } unreferenced)
            {
                closing.Add(unreferenced);
            }
        }

        return closing;
    }

    public RuntimeLayer? Release(RuntimeLayer layer)
    {
        if (!_references.TryGetValue(layer, out var count) || count == 0)
        {
            throw new InvalidOperationException($"layer {layer.Key} is released more often than it was acquired");
        }

        _references[layer] = --count;
        if (count > 0 || IsCached(layer))
        {
            return null;
        }

        _references.Remove(layer);
        return layer;
    }

    public RuntimeLayer? Evict(LayerKey key)
    {
        if (!_cached.Remove(key, out var node))
        {
            return null;
        }

        _recency.Remove(node);
        var layer = node.Value;
        if (_references[layer] > 0)
        {
            return null;
        }

        _references.Remove(layer);
        return layer;
    }

    public IReadOnlyList<RuntimeLayer> Clear()
    {
        var all = _references.Keys.ToList();
        _cached.Clear();
        _recency.Clear();
        _references.Clear();
        return all;
    }

    private bool IsCached(RuntimeLayer layer) => _cached.TryGetValue(layer.Key, out var node) && ReferenceEquals(node.Value, layer);
}
