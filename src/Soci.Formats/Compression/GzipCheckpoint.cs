namespace Soci.Formats.Compression;

/// <summary>A point where raw inflation can resume (formats §2): input position, output position, leftover bits, window.</summary>
public readonly record struct GzipCheckpoint(long In, long Out, byte Bits, ReadOnlyMemory<byte> Window)
{
    public const int WindowSize = 32768;
}
