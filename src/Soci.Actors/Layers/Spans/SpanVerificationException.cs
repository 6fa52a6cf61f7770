namespace Soci.Actors.Layers.Spans;

/// <summary>A span's compressed bytes did not match its digest after every allowed attempt; its data is never served.</summary>
public sealed class SpanVerificationException(string message) : IOException(message);
