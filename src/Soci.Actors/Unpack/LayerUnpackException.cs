namespace Soci.Actors.Unpack;

/// <summary>A layer could not be unpacked: bad data, an unsafe entry or a digest mismatch.</summary>
public sealed class LayerUnpackException(string message, Exception? inner = null) : Exception(message, inner);
