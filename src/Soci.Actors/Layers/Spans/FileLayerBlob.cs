using Microsoft.Win32.SafeHandles;

namespace Soci.Actors.Layers.Spans;

/// <summary>A layer blob in a local file (content store, tests).</summary>
public sealed class FileLayerBlob : ILayerBlob, IDisposable
{
    private readonly SafeFileHandle _handle;

    public FileLayerBlob(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        Size = RandomAccess.GetLength(_handle);
    }

    public long Size { get; }

    public async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        for (var total = 0; total < destination.Length;)
        {
            var read = await RandomAccess.ReadAsync(_handle, destination[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"layer blob ends at {offset + total}, {destination.Length - total} bytes short");
            }
            total += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
