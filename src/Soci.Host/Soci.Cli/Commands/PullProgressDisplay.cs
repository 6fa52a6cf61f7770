using System.Globalization;
using Soci.Actors.Pull;

namespace Soci.Cli.Commands;

/// <summary>
/// Live progress of <c>soci image rpull</c> on a terminal: one line per item (the image, then each layer), redrawn
/// in place at most ten times a second with ANSI cursor movement. Only used when stdout is a terminal.
/// </summary>
internal sealed class PullProgressDisplay : IProgress<PullProgress>
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _output;
    private readonly Lock _lock = new();
    private readonly List<string> _items = [];
    private readonly Dictionary<string, string> _lines = [];
    private int _drawnLines;
    private long _lastDraw;

    public PullProgressDisplay(TextWriter output) => _output = output;

    public void Report(PullProgress value)
    {
        lock (_lock)
        {
            if (!_lines.ContainsKey(value.Item))
            {
                _items.Add(value.Item);
            }

            _lines[value.Item] = Describe(value);
            var now = Environment.TickCount64;
            if (value.Stage != PullStage.Downloading || now - _lastDraw >= RedrawInterval.TotalMilliseconds)
            {
                Draw();
                _lastDraw = now;
            }
        }
    }

    /// <summary>Draws the final state once more, so the last download figures are not left half-updated.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            Draw();
        }
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    private void Draw()
    {
        if (_drawnLines > 0)
        {
            _output.Write($"\u001b[{_drawnLines}A");
        }

        foreach (var item in _items)
        {
            _output.Write("\u001b[2K");
            _output.WriteLine($"{Short(item),-24} {_lines[item]}");
        }

        _drawnLines = _items.Count;
        _output.Flush();
    }

    private static string Describe(PullProgress progress) => progress.Stage switch
    {
        PullStage.Resolving => "resolving",
        PullStage.Resolved => "resolved",
        PullStage.Checking => "preparing snapshot",
        PullStage.Downloading => $"downloading {Bytes(progress.Current)} / {Bytes(progress.Total)}",
        PullStage.Unpacking => "unpacking",
        PullStage.Remote => "remote (lazily loaded)",
        PullStage.AlreadyPresent => "already present",
        PullStage.Unpacked => $"unpacked ({Bytes(progress.Total)})",
        _ => "done",
    };

    /// <summary>Layer digests shortened as containerd's tools show them; image references as they are.</summary>
    private static string Short(string item) =>
        item.StartsWith("sha256:", StringComparison.Ordinal) && item.Length > 19 ? item[..19] : item;
}
