namespace Soci.Formats.Extraction;

/// <summary>Reads byte ranges of a (compressed) layer blob: a local file, a registry blob, a cache.</summary>
public interface IRangeReader
{
    /// <summary>Fills as much of <paramref name="buffer"/> as the blob has from <paramref name="offset"/>; returns the count.</summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);
}
