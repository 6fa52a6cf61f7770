using System.Globalization;
using System.Text.RegularExpressions;

namespace Soci.TestEnvironment.Registry;

/// <summary>
/// Reads the registry's own access log (combined log format, one line per answered request), so benchmarks and
/// tests can count what a client fetched without a proxy in the data path that would slow every transfer.
/// </summary>
public static partial class RegistryAccessLog
{
    /// <summary>Body bytes of every blob GET in <paramref name="log"/> (ranges and whole blobs alike).</summary>
    public static long BlobBytes(string log) =>
        AccessLine().Matches(log)
            .Where(line => line.Groups["path"].Value.Contains("/blobs/", StringComparison.Ordinal))
            .Sum(line => long.Parse(line.Groups["size"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("\"GET (?<path>\\S+) HTTP/[0-9.]+\" (?<status>\\d{3}) (?<size>\\d+)")]
    private static partial Regex AccessLine();
}
