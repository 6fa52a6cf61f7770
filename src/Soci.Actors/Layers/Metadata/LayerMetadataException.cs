namespace Soci.Actors.Layers.Metadata;

/// <summary>The TOC of a layer cannot be turned into a file tree.</summary>
public sealed class LayerMetadataException(string message) : Exception(message);
