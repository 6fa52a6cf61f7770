using System.Diagnostics;

namespace Soci.TestEnvironment.Processes;

/// <summary>The outcome of a finished command.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public CommandResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException(
            $"`{Command}` exited with {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}");
}

/// <summary>Runs short-lived tools (skopeo, ctr, umoci, htpasswd) to completion and captures their output.</summary>
public static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(
        string program, IEnumerable<string> arguments, TimeSpan? timeout = null, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = $"{program} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout}");
        }

        return new CommandResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string program, params string[] arguments) =>
        RunAsync(program, (IEnumerable<string>)arguments);
}
