using System.Collections.Concurrent;

namespace Soci.Fuse.Serving;

/// <summary>How many references the kernel holds to each inode (one per successful LOOKUP or READDIRPLUS
/// entry); FORGET gives them back.</summary>
internal sealed class LookupCounts
{
    private readonly ConcurrentDictionary<ulong, long> _counts = new();

    public void Add(ulong ino) => _counts.AddOrUpdate(ino, 1, static (_, n) => n + 1);

    /// <summary>Releases <paramref name="lookups"/> references; true when none are left.</summary>
    public bool Release(ulong ino, ulong lookups)
    {
        while (_counts.TryGetValue(ino, out var current))
        {
            var left = current - (long)Math.Min(lookups, (ulong)long.MaxValue);
            if (left <= 0)
            {
                if (_counts.TryRemove(new KeyValuePair<ulong, long>(ino, current)))
                {
                    return true;
                }
            }
            else if (_counts.TryUpdate(ino, left, current))
            {
                return false;
            }
        }
        return false;
    }

    public long Get(ulong ino) => _counts.TryGetValue(ino, out var n) ? n : 0;

    public int Count => _counts.Count;
}
