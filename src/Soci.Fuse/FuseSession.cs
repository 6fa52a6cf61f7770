using System.Diagnostics;
using System.Runtime.InteropServices;
using Soci.Fuse.FileSystem;
using Soci.Fuse.Interop;
using Soci.Fuse.Mounting;
using Soci.Fuse.Protocol;
using Soci.Fuse.Serving;

namespace Soci.Fuse;

/// <summary>
/// A mounted filesystem being served: the mount, the INIT negotiation, the serving threads, and the hooks a
/// supervisor needs (statistics, in-flight requests and their age, restarting the serving threads over the
/// same mount). Dispose unmounts.
/// </summary>
public sealed class FuseSession : IDisposable
{
    /// <summary>The largest READ the kernel may send: max_pages (256) × 4 KiB.</summary>
    public const int MaxReadSize = MaxPages * 4096;

    internal const int InputBufferSize = InHeader.Size + 4096 + MaxWrite;
    private const int MaxPages = 256;
    private const int MaxWrite = 128 * 1024;
    private const uint OurMajor = 7;
    private const uint OurMinor = 39;

    private const InitFlags WantedFlags = InitFlags.AsyncRead | InitFlags.ParallelDirops | InitFlags.MaxPages
        | InitFlags.DoReaddirplus | InitFlags.ReaddirplusAuto | InitFlags.CacheSymlinks | InitFlags.AbortError
        | InitFlags.AsyncDio;

    private readonly FuseMount _mount;
    private readonly object _threadsGate = new();
    private readonly List<ServingThread> _threads = [];
    private readonly LookupCounts _lookups = new();
    private int _generation;
    private int _disposed;
    private int _idleThreads;
    private int _servingThreads;

    private FuseSession(FuseMount mount, FuseFileSystem fileSystem, FuseMountOptions options)
    {
        _mount = mount;
        FileSystem = fileSystem;
        Options = options;
        NodeIds = new NodeIds(fileSystem.RootInode);
        EntryTimeout = WireTimeout.From(options.EntryTimeout);
        AttributeTimeout = WireTimeout.From(options.AttributeTimeout);
        NegativeTimeout = WireTimeout.From(options.NegativeTimeout);
    }

    public string MountPoint => _mount.MountPoint;
    public FuseMount Mount => _mount;
    public FuseFileSystem FileSystem { get; }
    public FuseMountOptions Options { get; }
    public OperationStatistics Statistics { get; } = new();

    /// <summary>The negotiated protocol minor version (7.x).</summary>
    public uint ProtocolMinor { get; private set; }

    /// <summary>The capability flags both sides agreed on.</summary>
    public ulong NegotiatedFlags { get; private set; }

    /// <summary>Incremented by every <see cref="RestartServing"/>.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The last exception a filesystem handler threw (the caller got EIO).</summary>
    public Exception? LastHandlerFailure { get; private set; }

    /// <summary>The errno that ended serving (ENODEV after unmount), or null while serving.</summary>
    public int? StoppedWith { get; private set; }

    internal int Fd => _mount.Fd;
    internal NodeIds NodeIds { get; }
    internal WireTimeout EntryTimeout { get; }
    internal WireTimeout AttributeTimeout { get; }
    internal WireTimeout NegativeTimeout { get; }

    /// <summary>Mounts <paramref name="fileSystem"/> at <paramref name="mountPoint"/> and starts serving it.</summary>
    public static FuseSession Start(string mountPoint, FuseFileSystem fileSystem, FuseMountOptions? options = null)
    {
        WireLayout.AssertSizes();
        options ??= new FuseMountOptions();
        if (options.ServingThreads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ServingThreads must be at least 1");
        }
        var mount = FuseMount.Create(mountPoint, options);
        var session = new FuseSession(mount, fileSystem, options);
        try
        {
            session.Negotiate();
            session.StartThreads();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>How many kernel references (lookups) are held on <paramref name="ino"/>.</summary>
    public long LookupCount(ulong ino) => _lookups.Get(ino);

    /// <summary>Number of inodes the kernel currently holds references to.</summary>
    public int ReferencedInodes => _lookups.Count;

    /// <summary>Requests being handled right now, oldest first.</summary>
    public IReadOnlyList<InFlightRequest> InFlight()
    {
        var now = Stopwatch.GetTimestamp();
        var result = new List<InFlightRequest>();
        lock (_threadsGate)
        {
            foreach (var thread in _threads)
            {
                if (thread.Slot.Describe(now) is { } request)
                {
                    result.Add(request);
                }
            }
        }
        result.Sort((a, b) => b.Age.CompareTo(a.Age));
        return result;
    }

    /// <summary>Threads retired by <see cref="RestartServing"/> whose handler has not returned yet.</summary>
    public int AbandonedThreads
    {
        get
        {
            lock (_threadsGate)
            {
                return _threads.Count(t => t.IsAlive && t.IsRetired);
            }
        }
    }

    /// <summary>Serving threads still running (including retired ones whose handler has not returned yet).</summary>
    public int LiveServingThreads
    {
        get
        {
            lock (_threadsGate)
            {
                return _threads.Count(t => t.IsAlive);
            }
        }
    }

    /// <summary>
    /// Restarts serving over the same mount without unmounting. Requests older than <paramref name="stuckAfter"/>
    /// are answered with EIO on their handler's behalf (a late answer from the handler is dropped) and their
    /// threads are retired (each exits when its handler returns); threads that died are forgotten; a fresh
    /// thread is started if none is waiting for requests. Returns how many requests were abandoned.
    /// </summary>
    public int RestartServing(TimeSpan stuckAfter)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var abandoned = 0;
        var reply = new byte[OutHeader.Size];
        var now = Stopwatch.GetTimestamp();
        lock (_threadsGate)
        {
            foreach (var thread in _threads)
            {
                if (thread.Slot.TryAbandon(stuckAfter, now, out var unique))
                {
                    Reply(reply, unique, Errno.EIO, 0);
                    thread.Retire();
                    abandoned++;
                }
            }
            _threads.RemoveAll(t => !t.IsAlive);
            Interlocked.Increment(ref _generation);
            Volatile.Write(ref _servingThreads, _threads.Count(t => !t.IsRetired));
            if (Volatile.Read(ref _servingThreads) == 0 || Volatile.Read(ref _idleThreads) == 0)
            {
                StartThreadLocked();
            }
        }
        return abandoned;
    }

    /// <summary>Takes the mount down; serving stops when the kernel reports the device gone.</summary>
    public void Unmount(FuseUnmountMode mode) => _mount.Unmount(mode);

    /// <summary>Sends FUSE_NOTIFY_POLL so pollers waiting on <paramref name="kernelHandle"/> wake up.</summary>
    public int NotifyPollWakeup(ulong kernelHandle)
    {
        const int NotifyPoll = 1;
        var message = new byte[OutHeader.Size + NotifyPollWakeupOut.Size];
        var wakeup = new NotifyPollWakeupOut { KernelHandle = kernelHandle };
        MemoryMarshal.Write(message.AsSpan(OutHeader.Size), in wakeup);
        // Notifications carry unique 0 and the notification code in the error field.
        return WriteMessage(message, 0, NotifyPoll, NotifyPollWakeupOut.Size);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_mount.IsMounted)
        {
            try
            {
                _mount.Unmount(FuseUnmountMode.Normal);
            }
            catch (FuseException)
            {
                _mount.Unmount(FuseUnmountMode.Detach);
            }
        }
        ServingThread[] threads;
        lock (_threadsGate)
        {
            threads = [.. _threads];
            foreach (var thread in threads)
            {
                thread.Retire();
            }
        }
        if (!JoinAll(threads, TimeSpan.FromSeconds(1)))
        {
            // A lazily detached mount keeps its connection while files are open; aborting it wakes the threads.
            TryAbort();
            JoinAll(threads, TimeSpan.FromSeconds(2));
        }
        _mount.Dispose();
    }

    private static bool JoinAll(ServingThread[] threads, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var all = true;
        foreach (var thread in threads)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            all &= thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        return all;
    }

    private void TryAbort()
    {
        try
        {
            _mount.Abort();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FuseException)
        {
            // The connection is already gone.
        }
    }

    internal void CountLookup(ulong ino)
    {
        if (ino != FileSystem.RootInode)
        {
            _lookups.Add(ino);
        }
    }

    internal void Forget(ulong nodeId, ulong lookups)
    {
        var ino = NodeIds.ToInode(nodeId);
        if (ino != FileSystem.RootInode && _lookups.Release(ino, lookups))
        {
            FileSystem.Forget(ino);
        }
    }

    internal bool Interrupt(ulong unique)
    {
        lock (_threadsGate)
        {
            foreach (var thread in _threads)
            {
                if (thread.Slot.Interrupt(unique))
                {
                    return true;
                }
            }
        }
        return false;
    }

    internal EntryOut ToEntryOut(in FuseEntry entry) => new()
    {
        NodeId = NodeIds.ToNodeId(entry.Attributes.Ino),
        Generation = entry.Generation,
        EntryValid = EntryTimeout.Seconds,
        EntryValidNsec = EntryTimeout.Nanoseconds,
        AttrValid = AttributeTimeout.Seconds,
        AttrValidNsec = AttributeTimeout.Nanoseconds,
        Attr = ToWireAttr(entry.Attributes),
    };

    internal static WireAttr ToWireAttr(in FuseAttributes a) => new()
    {
        Ino = a.Ino,
        FileSize = a.Size,
        Blocks = a.Blocks,
        Atime = (ulong)a.Atime.Seconds,
        AtimeNsec = a.Atime.Nanoseconds,
        Mtime = (ulong)a.Mtime.Seconds,
        MtimeNsec = a.Mtime.Nanoseconds,
        Ctime = (ulong)a.Ctime.Seconds,
        CtimeNsec = a.Ctime.Nanoseconds,
        Mode = a.Mode,
        Nlink = a.Nlink == 0 ? 1 : a.Nlink,
        Uid = a.Uid,
        Gid = a.Gid,
        Rdev = a.Rdev,
        BlockSize = a.BlockSize == 0 ? 4096 : a.BlockSize,
    };

    /// <summary>Writes the reply header before <paramref name="payloadLength"/> bytes already in
    /// <paramref name="buffer"/>, and sends both in one write(2).</summary>
    internal int Reply(byte[] buffer, ulong unique, int error, int payloadLength) =>
        WriteMessage(buffer, unique, -error, payloadLength);

    internal void OnServingStopped(int errno)
    {
        if (errno != Errno.EBADF)
        {
            StoppedWith ??= errno;
        }
    }

    internal void OnHandlerFailed(FuseOpcode opcode, Exception e) =>
        LastHandlerFailure = new FuseException($"{opcode} handler threw {e.GetType().Name}: {e.Message}", e);

    private int WriteMessage(byte[] buffer, ulong unique, int error, int payloadLength)
    {
        var header = new OutHeader { Length = (uint)(OutHeader.Size + payloadLength), Error = error, Unique = unique };
        MemoryMarshal.Write(buffer, in header);
        var fd = Fd;
        if (fd < 0)
        {
            return -Errno.EBADF;
        }
        // ENOENT: the request was interrupted or aborted meanwhile; nothing is waiting for this reply.
        return Libc.Write(fd, buffer.AsSpan(0, OutHeader.Size + payloadLength));
    }

    private void Negotiate()
    {
        var buffer = new byte[InputBufferSize];
        while (true)
        {
            var n = Libc.Read(Fd, buffer);
            if (n is -Errno.EINTR or -Errno.EAGAIN or -Errno.ENOENT)
            {
                continue;
            }
            if (n < InHeader.Size)
            {
                throw new FuseException($"reading FUSE_INIT from {MountPoint} failed: {(n < 0 ? $"errno {-n}" : $"{n}-byte request")}");
            }
            var header = MemoryMarshal.Read<InHeader>(buffer);
            if (header.Opcode != FuseOpcode.Init)
            {
                throw new FuseException($"expected FUSE_INIT on {MountPoint}, got opcode {header.Opcode}");
            }
            var init = RequestDispatcher.Read<InitIn>(buffer.AsSpan(InHeader.Size, n - InHeader.Size));
            if (init.Major < OurMajor)
            {
                Reply(buffer, header.Unique, Errno.EPROTO, 0);
                throw new FuseException($"kernel FUSE protocol {init.Major}.{init.Minor} is older than 7.x");
            }
            var reply = new InitOut { Major = OurMajor, Minor = OurMinor };
            if (init.Major > OurMajor)
            {
                // The kernel retries INIT with our major version after seeing it.
                MemoryMarshal.Write(buffer.AsSpan(OutHeader.Size), in reply);
                Reply(buffer, header.Unique, 0, InitOut.Size);
                continue;
            }
            var offered = init.Flags | ((ulong)init.Flags2 << 32);
            var agreed = offered & (ulong)WantedFlags;
            reply.Minor = Math.Min(OurMinor, init.Minor);
            reply.MaxReadahead = init.MaxReadahead;
            reply.Flags = (uint)agreed;
            reply.MaxBackground = 64;
            reply.CongestionThreshold = 48;
            reply.MaxWrite = MaxWrite;
            reply.TimeGranularity = 1;
            reply.MaxPages = MaxPages;
            MemoryMarshal.Write(buffer.AsSpan(OutHeader.Size), in reply);
            var rc = Reply(buffer, header.Unique, 0, InitOut.Size);
            if (rc < 0)
            {
                throw new FuseException($"replying to FUSE_INIT on {MountPoint} failed: errno {-rc}");
            }
            ProtocolMinor = reply.Minor;
            NegotiatedFlags = agreed;
            return;
        }
    }

    private void StartThreads()
    {
        lock (_threadsGate)
        {
            Interlocked.Increment(ref _generation);
            StartThreadLocked();
        }
    }

    /// <summary>Called by a serving thread before it blocks in read(2).</summary>
    internal void EnterIdle() => Interlocked.Increment(ref _idleThreads);

    /// <summary>
    /// Called by a serving thread that got a request. Threads start on demand, like libfuse's: when the last idle
    /// thread takes a request another one is started, up to <see cref="FuseMountOptions.ServingThreads"/>. A
    /// serial caller is then served by one or two threads that stay hot instead of hopping across the whole pool
    /// (the kernel wakes waiting readers in FIFO order).
    /// </summary>
    internal void LeaveIdle()
    {
        if (Interlocked.Decrement(ref _idleThreads) == 0 && Volatile.Read(ref _servingThreads) < Options.ServingThreads)
        {
            lock (_threadsGate)
            {
                if (Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _servingThreads) < Options.ServingThreads)
                {
                    StartThreadLocked();
                }
            }
        }
    }

    internal void OnThreadRetired() => Interlocked.Decrement(ref _servingThreads);

    private void StartThreadLocked()
    {
        var thread = new ServingThread(this, Generation, _threads.Count);
        _threads.Add(thread);
        Interlocked.Increment(ref _servingThreads);
        thread.Start();
    }
}

/// <summary>A cache timeout in the seconds + nanoseconds form the wire uses.</summary>
internal readonly record struct WireTimeout(ulong Seconds, uint Nanoseconds)
{
    public static WireTimeout From(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return default;
        }
        var ticks = timeout.Ticks;
        return new WireTimeout((ulong)(ticks / TimeSpan.TicksPerSecond), (uint)(ticks % TimeSpan.TicksPerSecond * 100));
    }
}
