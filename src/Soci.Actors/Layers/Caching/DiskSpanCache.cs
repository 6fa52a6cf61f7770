namespace Soci.Actors.Layers.Caching;

/// <summary>
/// Span data as files under a directory (<c>&lt;dir&gt;/&lt;layer id&gt;/&lt;span&gt;</c>), bounded in bytes with
/// least-recently-used eviction. Files are written to <c>wip/</c> and renamed into place, so a reader never sees a
/// partial span; every read opens and closes its file (no descriptors are held between reads). The directory
/// belongs to this cache: whatever a previous process left there is deleted at construction.
/// </summary>
public sealed class DiskSpanCache : ISpanCache
{
    private readonly string _directory;
    private readonly string _work;
    private readonly long _capacity;
    private readonly Lock _lock = new();
    private readonly Dictionary<SpanKey, LinkedListNode<(SpanKey Key, long Length)>> _entries = [];
    private readonly LinkedList<(SpanKey Key, long Length)> _recency = new();
    private long _size;

    public DiskSpanCache(string directory, long capacityBytes)
    {
        _directory = Path.GetFullPath(directory);
        _capacity = capacityBytes;
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        _work = Directory.CreateDirectory(Path.Combine(_directory, "wip")).FullName;
    }

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
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }
            _recency.Remove(entry);
            _recency.AddFirst(entry);
        }
        try
        {
            using var handle = File.OpenHandle(PathOf(key));
            var total = 0;
            while (total < destination.Length)
            {
                var read = RandomAccess.Read(handle, destination[total..], offset + total);
                if (read == 0)
                {
                    return false;
                }
                total += read;
            }
            return true;
        }
        catch (FileNotFoundException)
        {
            // Evicted between the index check and the open.
            return false;
        }
    }

    /// <summary>Reads a whole span (for promotion into a faster tier); null on a miss.</summary>
    public byte[]? TryReadAll(SpanKey key)
    {
        long length;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return null;
            }
            length = entry.Value.Length;
        }
        var data = new byte[length];
        return TryRead(key, 0, data) ? data : null;
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
        if (data.Length > _capacity)
        {
            return;
        }
        var temporary = Path.Combine(_work, Guid.NewGuid().ToString("N"));
        using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.Write(handle, data, 0);
        }
        var target = PathOf(key);
        lock (_lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temporary, target, overwrite: true);
            Forget(key);
            _entries[key] = _recency.AddFirst((key, data.Length));
            _size += data.Length;
            while (_size > _capacity && _recency.Last is { } oldest)
            {
                Forget(oldest.Value.Key);
                File.Delete(PathOf(oldest.Value.Key));
            }
        }
    }

    public void RemoveLayer(string layerId)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => k.LayerId == layerId).ToList())
            {
                Forget(key);
            }
            var layerDirectory = Path.Combine(_directory, SafeName(layerId));
            if (Directory.Exists(layerDirectory))
            {
                Directory.Delete(layerDirectory, recursive: true);
            }
        }
    }

    private void Forget(SpanKey key)
    {
        if (_entries.Remove(key, out var entry))
        {
            _recency.Remove(entry);
            _size -= entry.Value.Length;
        }
    }

    private string PathOf(SpanKey key) =>
        Path.Combine(_directory, SafeName(key.LayerId), key.Span.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Layer ids contain ':' (digests); keep them one path component and never "wip".</summary>
    private static string SafeName(string layerId) => "layer-" + layerId.Replace('/', '_').Replace(':', '_');
}
