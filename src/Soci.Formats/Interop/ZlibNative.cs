using System.Runtime.InteropServices;

namespace Soci.Formats.Interop;

/// <summary>The few libz.so.1 entry points the checkpoint builder and the span decompressor need.</summary>
internal static unsafe partial class ZlibNative
{
    private const string Library = "libz.so.1";

    // The version string only has to agree with the library's major version; zlib checks its first character.
    public static readonly byte[] Version = "1.2.13\0"u8.ToArray();

    public const int ZOk = 0;
    public const int ZStreamEnd = 1;
    public const int ZNeedDict = 2;
    public const int ZErrno = -1;
    public const int ZStreamError = -2;
    public const int ZDataError = -3;
    public const int ZMemError = -4;
    public const int ZBufError = -5;
    public const int ZVersionError = -6;

    public const int ZNoFlush = 0;
    public const int ZBlock = 5;

    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    public static partial int InflateReset(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflatePrime")]
    public static partial int InflatePrime(ZStream* stream, int bits, int value);

    [LibraryImport(Library, EntryPoint = "inflateValidate")]
    public static partial int InflateValidate(ZStream* stream, int check);

    [LibraryImport(Library, EntryPoint = "inflateSetDictionary")]
    public static partial int InflateSetDictionary(ZStream* stream, byte* dictionary, uint length);
}
