using System.Globalization;

namespace Soci.Actors.Artifacts.Listing;

/// <summary>The CREATED column (cli.md §0): <c>n/a</c> for no time, else the elapsed whole seconds in Go duration syntax.</summary>
public static class CreatedAge
{
    public static string Format(DateTimeOffset createdAt, DateTimeOffset now)
    {
        if (createdAt == default)
        {
            return "n/a";
        }
        var seconds = (long)Math.Round((now - createdAt).TotalSeconds, MidpointRounding.AwayFromZero);
        return GoDuration(seconds) + " ago";
    }

    /// <summary>Go's <c>time.Duration.String</c> for whole seconds: <c>0s</c>, <c>45s</c>, <c>2m0s</c>, <c>1h2m3s</c>.</summary>
    public static string GoDuration(long seconds)
    {
        var sign = seconds < 0 ? "-" : "";
        seconds = Math.Abs(seconds);
        var hours = seconds / 3600;
        var minutes = seconds / 60 % 60;
        var rest = seconds % 60;
        var text = hours > 0 ? $"{hours}h{minutes}m{rest}s" : minutes > 0 ? $"{minutes}m{rest}s" : $"{rest}s";
        return sign + text.ToString(CultureInfo.InvariantCulture);
    }
}
