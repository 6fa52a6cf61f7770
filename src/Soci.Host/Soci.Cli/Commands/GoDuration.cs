using System.Globalization;
using System.Text.RegularExpressions;

namespace Soci.Cli.Commands;

/// <summary>Go's <c>time.ParseDuration</c> syntax for the global <c>--timeout</c> flag (e.g. <c>30s</c>, <c>1m30s</c>, <c>1.5h</c>).</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = UnitPattern().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(match => match.Value)) != text)
        {
            throw new FormatException($"invalid duration \"{text}\" for --timeout (Go syntax, e.g. 30s or 1m30s)");
        }

        var ticks = 0.0;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += value * match.Groups[2].Value switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        // Rounded up: a positive duration shorter than a tick (e.g. 1ns) must not become "no timeout".
        return TimeSpan.FromTicks((long)Math.Ceiling(ticks));
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex UnitPattern();
}
