using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary>Runs a ztoc command body; any failure prints <c>soci: &lt;error&gt;</c> to stderr and exits 1, like upstream.</summary>
internal static class ZtocCommandErrors
{
    public static async Task<int> RunAsync(ParseResult parseResult, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
            return 0;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"soci: {error.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
