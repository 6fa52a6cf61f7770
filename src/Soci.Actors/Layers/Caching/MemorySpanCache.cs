namespace Soci.Actors.Layers.Caching;

/// <summary>An in-memory span cache bounded in bytes, evicting the least recently used span first.</summary>
public sealed class MemorySpanCache(long capacityBytes) : ISpanCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SpanKey, LinkedListNode<(SpanKey Key, byte[] Data)>> _entries = [];
    private readonly LinkedList<(SpanKey Key, byte[] Data)> _recency = new();
    private long _size;

    public long Capacity => capacityBytes;

    public long Size
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    public bool TryRead(SpanKey key, long offset, Span<byte> destination)
    {
        byte[] data;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }
            _recency.Remove(entry);
            _recency.AddFirst(entry);
            data = entry.Value.Data;
        }
        // Entries are immutable once added, so copying outside the lock is safe.
        data.AsSpan((int)offset, destination.Length).CopyTo(destination);
        return true;
    }

    public bool Contains(SpanKey key)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(key);
        }
    }

    public void Add(SpanKey key, byte[] data)
    {
        if (data.Length > capacityBytes)
        {
            return;
        }
        lock (_lock)
        {
            Remove(key);
            _entries[key] = _recency.AddFirst((key, data));
            _size += data.Length;
            while (_size > capacityBytes && _recency.Last is { } oldest)
            {
                Remove(oldest.Value.Key);
            }
        }
    }

    public void RemoveLayer(string layerId)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => k.LayerId == layerId).ToList())
            {
                Remove(key);
            }
        }
    }

    private void Remove(SpanKey key)
    {
        if (_entries.Remove(key, out var entry))
        {
            _recency.Remove(entry);
            _size -= entry.Value.Data.Length;
        }
    }
}
