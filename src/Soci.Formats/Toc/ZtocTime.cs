using System.Globalization;
using System.Text;

namespace Soci.Formats.Toc;

/// <summary>
/// A modification time with nanosecond precision (PAX <c>mtime</c> carries nanoseconds, which
/// <see cref="DateTime"/> cannot hold), formatted like Go's RFC 3339 "nano" layout in UTC.
/// </summary>
public readonly record struct ZtocTime(long UnixSeconds, int Nanoseconds)
{
    /// <summary>Go's zero time (0001-01-01T00:00:00Z), used when a stored time does not parse.</summary>
    public static readonly ZtocTime Zero = new(-62135596800, 0);

    private const long MinSeconds = -62135596800; // 0001-01-01
    private const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59

    public long UnixNanoseconds => (UnixSeconds * 1_000_000_000) + Nanoseconds;

    /// <summary>Builds a time from seconds and a nanosecond adjustment that may be negative or above 1e9.</summary>
    public static ZtocTime FromUnix(long seconds, long nanoseconds)
    {
        seconds += Math.DivRem(nanoseconds, 1_000_000_000, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += 1_000_000_000;
        }
        return new ZtocTime(seconds, (int)rest);
    }

    /// <summary>The longest <see cref="FormatRfc3339"/> output: <c>2006-01-02T15:04:05.999999999Z</c>.</summary>
    public const int MaxRfc3339Length = 30;

    /// <summary>Formats as <c>2006-01-02T15:04:05.999999999Z</c> (fraction trimmed of trailing zeros).</summary>
    public string ToRfc3339()
    {
        Span<byte> text = stackalloc byte[MaxRfc3339Length];
        return Encoding.ASCII.GetString(text[..FormatRfc3339(text)]);
    }

    /// <summary>
    /// Writes <see cref="ToRfc3339"/>'s text as UTF-8 into <paramref name="destination"/> (at least
    /// <see cref="MaxRfc3339Length"/> bytes) and returns its length; the serializer formats every file's time
    /// this way, without a string per file.
    /// </summary>
    public int FormatRfc3339(Span<byte> destination)
    {
        if (UnixSeconds < MinSeconds || UnixSeconds > MaxSeconds)
        {
            throw new ZtocFormatException($"modification time {UnixSeconds} is outside the years 1-9999");
        }
        var time = DateTime.UnixEpoch.AddSeconds(UnixSeconds);
        time.TryFormat(destination, out var length, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (Nanoseconds != 0)
        {
            destination[length++] = (byte)'.';
            Nanoseconds.TryFormat(destination[length..], out var digits, "D9", CultureInfo.InvariantCulture);
            length += destination.Slice(length, digits).TrimEnd((byte)'0').Length;
        }
        destination[length++] = (byte)'Z';
        return length;
    }

    /// <summary>Parses RFC 3339 with any offset and an optional fraction; returns false when it does not parse.</summary>
    public static bool TryParseRfc3339(string text, out ZtocTime time)
    {
        time = Zero;
        // yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }
        var pos = 19;
        long nanos = 0;
        if (pos < text.Length && text[pos] == '.')
        {
            var start = ++pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }
            var digits = pos - start;
            if (digits == 0 || digits > 9)
            {
                return false;
            }
            nanos = long.Parse(text.AsSpan(start, digits), CultureInfo.InvariantCulture);
            for (var i = digits; i < 9; i++)
            {
                nanos *= 10;
            }
        }
        long offsetSeconds;
        if (pos == text.Length - 1 && (text[pos] == 'Z' || text[pos] == 'z'))
        {
            offsetSeconds = 0;
        }
        else if (pos == text.Length - 6 && (text[pos] == '+' || text[pos] == '-') && text[pos + 3] == ':'
            && TryDigits(text, pos + 1, 2, out var offHours) && TryDigits(text, pos + 4, 2, out var offMinutes))
        {
            offsetSeconds = ((offHours * 60) + offMinutes) * 60 * (text[pos] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var seconds = (long)(utc - DateTime.UnixEpoch).TotalSeconds - offsetSeconds;
        time = new ZtocTime(seconds, (int)nanos);
        return true;
    }

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
            value = (value * 10) + (text[i] - '0');
        }
        return true;
    }
}
