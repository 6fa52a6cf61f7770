namespace Soci.Actors.Layers.Caching;

/// <summary>
/// Memory in front of disk: spans are written through to both; a disk hit is promoted into memory so the next
/// reads of that span are served from memory.
/// </summary>
public sealed class TieredSpanCache(MemorySpanCache memory, DiskSpanCache disk) : ISpanCache
{
    public long Size => disk.Size;

    public bool TryRead(SpanKey key, long offset, Span<byte> destination)
    {
        if (memory.TryRead(key, offset, destination))
        {
            return true;
        }
        if (disk.TryReadAll(key) is not { } data)
        {
            return false;
        }
        memory.Add(key, data);
        data.AsSpan((int)offset, destination.Length).CopyTo(destination);
        return true;
    }

    public bool Contains(SpanKey key) => memory.Contains(key) || disk.Contains(key);

    public void Add(SpanKey key, byte[] data)
    {
        memory.Add(key, data);
        disk.Add(key, data);
    }

    public void RemoveLayer(string layerId)
    {
        memory.RemoveLayer(layerId);
        disk.RemoveLayer(layerId);
    }
}
