using System.Text;
using Soci.Formats.Toc;

namespace Soci.Formats.Tests;

/// <summary>Modification times are stored as text in Go's RFC 3339 "nano" layout; the digest depends on every byte.</summary>
public class ZtocTimeTests
{
    [Theory]
    [InlineData(0L, 0, "1970-01-01T00:00:00Z")]
    [InlineData(1700000000L, 500_000_000, "2023-11-14T22:13:20.5Z")]
    [InlineData(1700000000L, 123_456_789, "2023-11-14T22:13:20.123456789Z")]
    [InlineData(1700000000L, 100, "2023-11-14T22:13:20.0000001Z")]
    [InlineData(-62135596800L, 0, "0001-01-01T00:00:00Z")]
    [InlineData(253402300799L, 999_999_999, "9999-12-31T23:59:59.999999999Z")]
    public void Formats_like_go_with_the_fraction_trimmed(long seconds, int nanoseconds, string expected)
    {
        var time = new ZtocTime(seconds, nanoseconds);
        Span<byte> utf8 = stackalloc byte[ZtocTime.MaxRfc3339Length];

        Assert.Equal(expected, time.ToRfc3339());
        Assert.Equal(expected, Encoding.ASCII.GetString(utf8[..time.FormatRfc3339(utf8)]));
        Assert.True(ZtocTime.TryParseRfc3339(expected, out var parsed));
        Assert.Equal(time, parsed);
    }

    [Fact]
    public void A_time_past_year_9999_is_an_error_naming_it()
    {
        var error = Assert.Throws<ZtocFormatException>(() => new ZtocTime(253402300800L, 0).ToRfc3339());
        Assert.Contains("253402300800", error.Message);
    }
}
