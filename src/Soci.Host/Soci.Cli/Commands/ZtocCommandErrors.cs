using System.CommandLine;

namespace Soci.Cli.Commands;

/// <summary>Runs a command body; any failure prints <c>soci: &lt;error&gt;</c> to stderr and exits 1, like upstream.</summary>
internal static class ZtocCommandErrors
{
    public static async Task<int> RunAsync(ParseResult parseResult, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException)
        {
            // The global --timeout elapsed (or the user interrupted): an error like any other, not a stack trace.
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("soci: operation cancelled: timeout exceeded or interrupted").ConfigureAwait(false);
            return 1;
        }
        catch (Exception error)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"soci: {error.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
