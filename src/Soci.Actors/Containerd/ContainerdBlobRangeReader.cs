using Soci.Formats.Extraction;

namespace Soci.Actors.Containerd;

/// <summary>
/// Range reads of one blob in containerd's content store, each a ranged Read call, so extracting through a ztoc
/// transfers only the spans it needs (<c>soci ztoc get-file</c>).
/// </summary>
public sealed class ContainerdBlobRangeReader : IRangeReader
{
    private readonly ContainerdContentStore _content;
    private readonly string _digest;

    private ContainerdBlobRangeReader(ContainerdContentStore content, string digest)
    {
        _content = content;
        _digest = digest;
    }

    /// <summary>A reader of <paramref name="digest"/>, or null when containerd's content store does not have it.</summary>
    public static async Task<ContainerdBlobRangeReader?> TryOpenAsync(ContainerdContentStore content, string digest, CancellationToken cancellationToken) =>
        await content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null ? null : new ContainerdBlobRangeReader(content, digest);

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await _content.ReadAtAsync(_digest, offset, buffer, cancellationToken).ConfigureAwait(false);
}
