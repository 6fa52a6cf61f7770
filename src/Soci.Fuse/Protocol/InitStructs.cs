using System.Runtime.InteropServices;

namespace Soci.Fuse.Protocol;

/// <summary>fuse_init_in as of protocol 7.36+ (flags2 present); the unused tail is covered by Size.</summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct InitIn
{
    public const int Size = 64;
    public uint Major;
    public uint Minor;
    public uint MaxReadahead;
    public uint Flags;
    public uint Flags2;
}

/// <summary>fuse_init_out as of protocol 7.36+.</summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct InitOut
{
    public const int Size = 64;
    public uint Major;
    public uint Minor;
    public uint MaxReadahead;
    public uint Flags;
    public ushort MaxBackground;
    public ushort CongestionThreshold;
    public uint MaxWrite;
    public uint TimeGranularity;
    public ushort MaxPages;
    public ushort MapAlignment;
    public uint Flags2;
}

/// <summary>FUSE_INIT capability bits (the low 32 bits live in flags, the rest in flags2).</summary>
[Flags]
internal enum InitFlags : ulong
{
    AsyncRead = 1UL << 0,
    ExportSupport = 1UL << 4,
    BigWrites = 1UL << 5,
    AutoInvalData = 1UL << 12,
    DoReaddirplus = 1UL << 13,
    ReaddirplusAuto = 1UL << 14,
    AsyncDio = 1UL << 15,
    ParallelDirops = 1UL << 18,
    AbortError = 1UL << 21,
    MaxPages = 1UL << 22,
    CacheSymlinks = 1UL << 23,
    InitExt = 1UL << 30,
}
