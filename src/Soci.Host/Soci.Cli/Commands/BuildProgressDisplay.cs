namespace Soci.Cli.Commands;

/// <summary>
/// Progress of ztoc builds on a terminal: one status line (layers in progress, bytes read of bytes to read) kept at
/// the bottom and redrawn at most ten times a second; output lines are printed above it. Only used when stdout is a
/// terminal, so redirected output holds exactly upstream's lines.
/// </summary>
internal sealed class BuildProgressDisplay
{
    private static readonly long RedrawMilliseconds = 100;
    private readonly TextWriter _output;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Read, long Total)> _layers = [];
    private long _lastDraw;
    private bool _drawn;

    public BuildProgressDisplay(TextWriter output) => _output = output;

    public void Report(string layer, long bytesRead, long bytesTotal)
    {
        lock (_lock)
        {
            _layers[layer] = (bytesRead, bytesTotal);
            var now = Environment.TickCount64;
            if (now - _lastDraw >= RedrawMilliseconds)
            {
                Draw();
                _lastDraw = now;
            }
        }
    }

    /// <summary>Prints a result line above the status line.</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            Clear();
            _output.WriteLine(line);
            Draw();
        }
    }

    /// <summary>Removes the status line once the work is done.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            Clear();
            _output.Flush();
        }
    }

    private void Draw()
    {
        var busy = _layers.Values.Where(layer => layer.Read < layer.Total).ToList();
        if (busy.Count == 0)
        {
            Clear();
            return;
        }

        var read = busy.Sum(layer => layer.Read);
        var total = busy.Sum(layer => layer.Total);
        _output.Write($"\r\u001b[2Kbuilding ztocs: {busy.Count} layer(s), {PullProgressDisplay.Bytes(read)} / {PullProgressDisplay.Bytes(total)}");
        _output.Flush();
        _drawn = true;
    }

    private void Clear()
    {
        if (_drawn)
        {
            _output.Write("\r\u001b[2K");
            _drawn = false;
        }
    }
}
