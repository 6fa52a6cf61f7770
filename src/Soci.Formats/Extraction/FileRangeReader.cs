using Microsoft.Win32.SafeHandles;

namespace Soci.Formats.Extraction;

/// <summary>Range reads from a local layer file (positional reads; safe for concurrent use).</summary>
public sealed class FileRangeReader : IRangeReader, IDisposable
{
    private readonly SafeFileHandle _handle;

    public FileRangeReader(string path) =>
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);

    public long Length => RandomAccess.GetLength(_handle);

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(_handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public void Dispose() => _handle.Dispose();
}
