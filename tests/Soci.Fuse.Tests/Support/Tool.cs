using System.Diagnostics;

namespace Soci.Fuse.Tests.Support;

/// <summary>Runs a real command-line tool against a mount; a tool that hangs is killed by pid.</summary>
public static class Tool
{
    public static ToolResult Run(string file, params string[] args) => Run(TimeSpan.FromSeconds(60), file, args);

    public static ToolResult Run(TimeSpan timeout, string file, params string[] args)
    {
        using var process = Start(file, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a shell command line (for pipes).</summary>
    public static ToolResult Shell(string command) => Run("/bin/sh", "-c", command);

    public static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
    }
}

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout.TrimEnd('\n');

    public ToolResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"exit {ExitCode}: {Stderr}");
}
