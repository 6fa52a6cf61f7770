namespace Soci.Actors.Layers.Spans;

/// <summary>The compressed layer blob as the span manager needs it: its size and exact range reads.</summary>
public interface ILayerBlob
{
    long Size { get; }

    /// <summary>Fills all of <paramref name="destination"/> from <paramref name="offset"/>, or throws (short data included).</summary>
    ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken);
}
