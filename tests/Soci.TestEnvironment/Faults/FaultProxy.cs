using System.Collections.Concurrent;
using System.Net;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment.Faults;

/// <summary>
/// An HTTP proxy in front of a real registry that injects faults on request (connection resets, 500/503, 429 with
/// Retry-After, slow answers, truncated or corrupted bodies) and records every request and the body bytes it
/// served, so tests can prove retries, rejections of bad bytes, and that only touched ranges were fetched.
/// It runs in the test process and stops when disposed.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpForwarder _forwarder;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _faultsLock = new();
    private readonly List<Fault> _faults = [];
    private readonly ConcurrentQueue<ServedRequest> _served = new();
    private readonly Task _loop;
    private int _requestsReceived;

    private FaultProxy(int port, HttpClient upstream)
    {
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _forwarder = new HttpForwarder(upstream, Host);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>host:port, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    public IReadOnlyList<ServedRequest> Served => _served.ToArray();

    /// <summary>Requests that arrived, including those still being answered (a slow fault records only when done).</summary>
    public int RequestsReceived => Volatile.Read(ref _requestsReceived);

    public long BodyBytesServed => _served.Sum(request => request.BodyBytes);

    /// <summary>Starts a proxy forwarding to <paramref name="upstream"/> (whose BaseAddress is the registry).</summary>
    public static FaultProxy Start(HttpClient upstream)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FaultProxy(FreePort.Next(), upstream);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The free port was taken meanwhile; take another.
            }
        }
    }

    public void Inject(Fault fault)
    {
        lock (_faultsLock)
        {
            _faults.Add(fault);
        }
    }

    public void ClearFaults()
    {
        lock (_faultsLock)
        {
            _faults.Clear();
        }
    }

    public void ResetCounters()
    {
        _served.Clear();
        Interlocked.Exchange(ref _requestsReceived, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _forwarder.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private Fault? TakeFault(string path)
    {
        lock (_faultsLock)
        {
            var index = _faults.FindIndex(fault => path.Contains(fault.PathContains, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Times != int.MaxValue)
            {
                if (fault.Times <= 1)
                {
                    _faults.RemoveAt(index);
                }
                else
                {
                    _faults[index] = fault with { Times = fault.Times - 1 };
                }
            }

            return fault;
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requestsReceived);
        var request = context.Request;
        var response = context.Response;
        var path = request.Url?.AbsolutePath ?? "/";
        var fault = TakeFault(path);
        var status = 0;
        long bytes = 0;
        var recorded = false;
        // Recorded before the last bytes go out: a client that has read the whole body must find its request counted.
        void Record()
        {
            if (!recorded)
            {
                recorded = true;
                _served.Enqueue(new ServedRequest(request.HttpMethod, path, request.Headers["Range"], status, bytes, fault?.Kind));
            }
        }

        try
        {
            switch (fault?.Kind)
            {
                case FaultKind.ResetConnection:
                    response.Abort();
                    return;
                case FaultKind.InternalServerError or FaultKind.ServiceUnavailable or FaultKind.TooManyRequests:
                    status = fault.Kind switch
                    {
                        FaultKind.InternalServerError => 500,
                        FaultKind.ServiceUnavailable => 503,
                        _ => 429,
                    };
                    response.StatusCode = status;
                    if (fault.Kind == FaultKind.TooManyRequests)
                    {
                        response.AddHeader("Retry-After", ((int)Math.Ceiling(fault.Delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    response.ContentLength64 = 0;
                    Record();
                    response.Close();
                    return;
                case FaultKind.Slow:
                    await Task.Delay(fault.Delay, _stopping.Token);
                    break;
            }

            using var upstream = await _forwarder.SendAsync(request, _stopping.Token);
            status = (int)upstream.StatusCode;
            HttpForwarder.CopyHead(upstream, response);
            if (request.HttpMethod == "HEAD")
            {
                Record();
                response.Close();
                return;
            }

            var body = await upstream.Content.ReadAsByteArrayAsync(_stopping.Token);
            if (response.ContentLength64 == 0 && body.Length > 0)
            {
                response.ContentLength64 = body.Length;
            }

            switch (fault?.Kind)
            {
                case FaultKind.TruncateBody when body.Length > 0:
                    bytes = body.Length / 2;
                    Record();
                    await response.OutputStream.WriteAsync(body.AsMemory(0, (int)bytes), _stopping.Token);
                    await response.OutputStream.FlushAsync(_stopping.Token);
                    response.Abort();
                    return;
                case FaultKind.CorruptBody when body.Length > 0:
                    body[body.Length / 2] ^= 0xFF;
                    break;
            }

            bytes = body.Length;
            Record();
            await response.OutputStream.WriteAsync(body, _stopping.Token);
            response.Close();
        }
        catch (Exception error) when (error is HttpListenerException or IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            response.Abort();
        }
        finally
        {
            Record();
        }
    }
}
