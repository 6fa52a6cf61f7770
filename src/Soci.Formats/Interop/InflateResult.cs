namespace Soci.Formats.Interop;

/// <summary>What one <c>inflate</c> call did: zlib's return code, bytes consumed/produced and the block state.</summary>
internal readonly record struct InflateResult(int Code, int Consumed, int Produced, int DataType)
{
    /// <summary>zlib stopped right before a deflate block header (data_type bit 7).</summary>
    public bool AtBlockBoundary => (DataType & 128) != 0;

    /// <summary>The block that just ended was the stream's final block (data_type bit 6).</summary>
    public bool LastBlockDone => (DataType & 64) != 0;

    /// <summary>Unused bits (0–7) of the last consumed input byte.</summary>
    public int UnusedBits => DataType & 7;

    public bool StreamEnded => Code == ZlibNative.ZStreamEnd;
}
