namespace Soci.Fuse.FileSystem;

/// <summary>
/// Who sent the request being handled, and a token that is cancelled when the caller interrupts it (a
/// signal to a process blocked in read). One instance per serving thread, reused across requests.
/// </summary>
public sealed class FuseRequestContext
{
    public ulong Unique { get; internal set; }
    public uint Uid { get; internal set; }
    public uint Gid { get; internal set; }
    public uint Pid { get; internal set; }

    /// <summary>Cancelled when the kernel sends FUSE_INTERRUPT for this request; reply EINTR when honouring it.</summary>
    public CancellationToken Interrupted { get; internal set; }
}
