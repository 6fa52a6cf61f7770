namespace Soci.Formats.Toc;

/// <summary>One tar entry as recorded in a ztoc's TOC (formats §1.1).</summary>
public sealed record FileMetadata
{
    public required ByteString Name { get; init; }

    /// <summary><c>reg</c>, <c>dir</c>, <c>symlink</c>, <c>hardlink</c>, <c>char</c>, <c>block</c> or <c>fifo</c>.</summary>
    public required ByteString Type { get; init; }

    /// <summary>Offset of the entry's data in the uncompressed tar stream.</summary>
    public long UncompressedOffset { get; init; }

    /// <summary>The tar header's size field as read (also for header-only entry types).</summary>
    public long UncompressedSize { get; init; }

    public ByteString Linkname { get; init; } = ByteString.Empty;

    public long Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public ByteString Uname { get; init; } = ByteString.Empty;

    public ByteString Gname { get; init; } = ByteString.Empty;

    public ZtocTime ModTime { get; init; } = ZtocTime.Zero;

    public long DevMajor { get; init; }

    public long DevMinor { get; init; }

    /// <summary>All PAX records of the entry, sorted by key bytes, keys unique.</summary>
    public IReadOnlyList<PaxRecord> PaxRecords { get; init; } = [];

    /// <summary>
    /// Where the entry's first header block (including PAX/GNU extension headers) starts. Not stored on the
    /// wire: derived when a ztoc is read (formats §1.3); 0 for entries that were not read from a ztoc.
    /// </summary>
    public long TarHeaderOffset { get; init; }

    /// <summary>Extended attributes: the <c>SCHILY.xattr.</c> PAX records with the prefix removed.</summary>
    public IReadOnlyDictionary<string, ByteString> Xattrs =>
        PaxRecords
            .Where(r => r.Key.StartsWith(PaxRecord.XattrPrefix))
            .ToDictionary(r => ByteString.FromBytes(r.Key.Span[PaxRecord.XattrPrefix.Length..]).ToString(), r => r.Value);
}
