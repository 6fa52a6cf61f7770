using System.Runtime.InteropServices;

namespace Soci.Formats.Interop;

/// <summary>zlib's <c>z_stream</c> on LP64 Linux (112 bytes; <c>uLong</c> is 64-bit there).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public nuint TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public nuint TotalOut;
    public byte* Msg;
    public nint State;
    public nint ZAlloc;
    public nint ZFree;
    public nint Opaque;
    public int DataType;
    public nuint Adler;
    public nuint Reserved;

    public const int ExpectedSize = 112;
}
