using Soci.Formats.Toc;

namespace Soci.Formats.Tar;

/// <summary>A tar entry as Go's <c>archive/tar</c> reports it, plus where its data starts in the tar stream.</summary>
public sealed record TarEntry
{
    public required ByteString Name { get; init; }

    /// <summary>Typeflag after normalisation (the old <c>'\0'</c> becomes <c>'0'</c>, or <c>'5'</c> for names ending in '/').</summary>
    public required byte Typeflag { get; init; }

    public required long Size { get; init; }

    public required long Mode { get; init; }

    public required long Uid { get; init; }

    public required long Gid { get; init; }

    public required ByteString Linkname { get; init; }

    public required ByteString Uname { get; init; }

    public required ByteString Gname { get; init; }

    public required ZtocTime ModTime { get; init; }

    public required long DevMajor { get; init; }

    public required long DevMinor { get; init; }

    /// <summary>The entry's local PAX records (sorted by key bytes); empty when it had no PAX header.</summary>
    public required IReadOnlyList<PaxRecord> PaxRecords { get; init; }

    /// <summary>Offset in the tar stream right after the entry's header blocks.</summary>
    public required long DataOffset { get; init; }
}
