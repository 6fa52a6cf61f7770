namespace Soci.Formats.Build;

/// <summary>What the inflating thread hands to the reading side of a build, in stream order.</summary>
internal abstract record InflaterOutput;

/// <summary>
/// Uncompressed bytes <paramref name="Buffer"/>[<paramref name="Start"/>..+<paramref name="Count"/>], possibly
/// followed by the end of a gzip member whose trailer must match the member's bytes.
/// </summary>
/// <param name="LastInBuffer">The reader hands <paramref name="Buffer"/> back once it has read these bytes.</param>
internal sealed record UncompressedBytes(byte[] Buffer, int Start, int Count, bool LastInBuffer, GzipMemberEnd? MemberEnd)
    : InflaterOutput;

/// <summary>The next compressed bytes of the layer, in a pooled array the reader now owns (for span digests).</summary>
internal sealed record CompressedBytes(byte[] Pooled, int Count) : InflaterOutput;

/// <summary>A checkpoint was taken: a span starts at this compressed offset, or the byte before it.</summary>
internal sealed record SpanStarted(long CompressedOffset, bool WithPreviousByte) : InflaterOutput;

/// <summary>The layer's last member ended at <paramref name="CompressedSize"/>; all checkpoints are recorded.</summary>
internal sealed record LayerEnded(long CompressedSize) : InflaterOutput;

/// <summary>Inflating stopped with this error (bad gzip data, or the layer could not be read).</summary>
internal sealed record InflateFailed(Exception Error) : InflaterOutput;

/// <summary>A gzip member ended: its trailer's CRC-32 and length (mod 2^32), and where it ended, for error messages.</summary>
internal readonly record struct GzipMemberEnd(int Member, long CompressedOffset, uint ExpectedCrc, uint ExpectedLength);
