namespace Soci.Formats.Toc;

/// <summary>One PAX extended-header record of a tar entry (stored in the ztoc's misnamed <c>xattrs</c> vector).</summary>
public sealed record PaxRecord(ByteString Key, ByteString Value)
{
    public static readonly byte[] XattrPrefix = "SCHILY.xattr."u8.ToArray();
}
