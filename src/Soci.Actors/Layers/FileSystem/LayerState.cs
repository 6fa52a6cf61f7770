using System.Text.Json;

namespace Soci.Actors.Layers.FileSystem;

/// <summary>
/// The layer's state file (algorithms §8.6): digest, blob size, bytes fetched so far and the last read error,
/// regenerated on every read.
/// </summary>
public sealed class LayerState(string digest, long blobSize, Func<long> fetchedBytes)
{
    private volatile string? _lastError;

    public string? LastError => _lastError;

    public void ReportFailure(string error) => _lastError = error;

    public byte[] Render()
    {
        var fetched = Math.Min(fetchedBytes(), blobSize);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (_lastError is { Length: > 0 } error)
            {
                json.WriteString("error", error);
            }
            json.WriteString("digest", digest);
            json.WriteNumber("size", blobSize);
            json.WriteNumber("fetchedSize", fetched);
            json.WriteNumber("fetchedPercent", blobSize == 0 ? 100.0 : fetched * 100.0 / blobSize);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
