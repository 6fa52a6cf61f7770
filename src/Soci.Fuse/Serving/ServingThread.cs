using System.Diagnostics;
using System.Runtime.InteropServices;
using Soci.Fuse.FileSystem;
using Soci.Fuse.Interop;
using Soci.Fuse.Protocol;

namespace Soci.Fuse.Serving;

/// <summary>
/// One dedicated thread blocking in read(2) on the FUSE device: read a request, dispatch it, write the reply
/// in one write(2). The reply buffer starts small enough for every reply but READ's and grows to the largest READ
/// the thread has been asked for, once: a mount that is never read from (an idle layer) does not hold a 1 MiB
/// buffer per thread, and a thread serving reads allocates nothing per request.
/// </summary>
internal sealed class ServingThread
{
    private readonly FuseSession _session;
    private readonly byte[] _input;
    /// <summary>Room for any reply except a large READ: XATTR_SIZE_MAX (64 KiB) values, directory pages, links.</summary>
    private const int SmallReplySize = 64 * 1024;
    private byte[] _output;
    private readonly FuseRequestContext _context = new();
    private readonly RequestDispatcher _dispatcher;
    private readonly Thread _thread;
    private volatile bool _retired;

    public ServingThread(FuseSession session, int generation, int index)
    {
        _session = session;
        _input = new byte[FuseSession.InputBufferSize];
        _output = new byte[OutHeader.Size + SmallReplySize];
        _dispatcher = new RequestDispatcher(session);
        _thread = new Thread(Run) { IsBackground = true, Name = $"fuse-{generation}.{index}" };
    }

    public RequestSlot Slot { get; } = new();

    public bool IsAlive => _thread.IsAlive;

    public bool IsRetired => _retired;

    public void Start() => _thread.Start();

    /// <summary>Asks the thread to stop once the request it is serving is done.</summary>
    public void Retire()
    {
        if (!_retired)
        {
            _retired = true;
            _session.OnThreadRetired();
        }
    }

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        while (!_retired)
        {
            var fd = _session.Fd;
            if (fd < 0)
            {
                return;
            }
            _session.EnterIdle();
            var n = Libc.Read(fd, _input);
            _session.LeaveIdle();
            if (n < 0)
            {
                switch (-n)
                {
                    // EINTR: a signal; EAGAIN: nothing to read; ENOENT: the request was interrupted before we got it.
                    case Errno.EINTR or Errno.EAGAIN or Errno.ENOENT:
                        continue;
                    // ENODEV: unmounted or aborted; EBADF: the session closed the descriptor.
                    default:
                        _session.OnServingStopped(-n);
                        return;
                }
            }
            Serve(n);
        }
    }

    private void Serve(int n)
    {
        if (n < InHeader.Size)
        {
            return;
        }
        var header = MemoryMarshal.Read<InHeader>(_input);
        var body = _input.AsSpan(InHeader.Size, Math.Max(0, Math.Min(n, (int)header.Length) - InHeader.Size));
        switch (header.Opcode)
        {
            case FuseOpcode.Forget:
                _session.Forget(header.NodeId, RequestDispatcher.Read<ForgetIn>(body).Lookups);
                return;
            case FuseOpcode.BatchForget:
                BatchForget(body);
                return;
            case FuseOpcode.Interrupt:
                Interrupt(header.Unique, RequestDispatcher.Read<InterruptIn>(body).Unique);
                return;
        }

        _context.Interrupted = Slot.Begin(header);
        _context.Unique = header.Unique;
        _context.Uid = header.Uid;
        _context.Gid = header.Gid;
        _context.Pid = header.Pid;
        EnsureReplyRoom(header, body);
        var started = Stopwatch.GetTimestamp();
        int error;
        int length;
        try
        {
            error = _dispatcher.Dispatch(header, body, _output, _context, out length);
        }
        catch (Exception e)
        {
            // A filesystem bug must not take the mount down: the caller sees EIO, the session records why.
            _session.OnHandlerFailed(header.Opcode, e);
            error = Errno.EIO;
            length = 0;
        }
        _session.Statistics.Record(header.Opcode, Stopwatch.GetTimestamp() - started, error != 0);
        if (Slot.TryClaimReply())
        {
            _session.Reply(_output, header.Unique, error, error == 0 ? length : 0);
        }
        Slot.End();
    }

    /// <summary>Grows the reply buffer for a READ or READDIR asking for more than it holds.</summary>
    private void EnsureReplyRoom(in InHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Opcode is not (FuseOpcode.Read or FuseOpcode.ReadDir or FuseOpcode.ReadDirPlus))
        {
            return;
        }
        var wanted = OutHeader.Size + (int)Math.Min(RequestDispatcher.Read<ReadIn>(body).ReadSize, (uint)FuseSession.MaxReadSize);
        if (wanted > _output.Length)
        {
            _output = new byte[wanted];
        }
    }

    private void BatchForget(ReadOnlySpan<byte> body)
    {
        var count = RequestDispatcher.Read<BatchForgetIn>(body).Count;
        var records = body[BatchForgetIn.Size..];
        for (var i = 0; i < count && (i + 1) * ForgetOne.Size <= records.Length; i++)
        {
            var one = MemoryMarshal.Read<ForgetOne>(records[(i * ForgetOne.Size)..]);
            _session.Forget(one.NodeId, one.Lookups);
        }
    }

    private void Interrupt(ulong interruptUnique, ulong target)
    {
        if (!_session.Interrupt(target))
        {
            // Not being served (yet): EAGAIN makes the kernel queue the interrupt again while the target is pending.
            _session.Reply(_output, interruptUnique, Errno.EAGAIN, 0);
        }
    }
}
