using System.Diagnostics;

namespace Soci.Runtime.Tests.Support;

/// <summary>This process's open file descriptors and threads, from /proc.</summary>
public static class ProcessCounts
{
    public static int OpenFiles => OpenFileTargets.Count;

    /// <summary>
    /// What each open descriptor refers to, so a failed leak check names what stayed open. Descriptors of loaded
    /// assemblies and native libraries are left out: the runtime opens one when some code first needs it (a
    /// framework assembly loaded mid-test) and keeps it for the life of the process, which is not a leak.
    /// </summary>
    public static IReadOnlyList<string> OpenFileTargets =>
        Directory.GetFileSystemEntries("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? fd)
            .Where(target => !target.EndsWith(".dll", StringComparison.Ordinal) && !target.EndsWith(".so", StringComparison.Ordinal))
            .Order()
            .ToList();

    /// <summary>
    /// The open descriptor count once earlier tests' unreachable handles are finalized, so a leak check's baseline
    /// does not include descriptors that close on their own later (and hide or fake a leak).
    /// </summary>
    public static int SettledOpenFiles()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return OpenFiles;
    }

    /// <summary>
    /// Passes when no more descriptors are open than <paramref name="baseline"/>: fewer is fine (an earlier test's
    /// pooled connection may close meanwhile); more names the targets that stayed open.
    /// </summary>
    public static void AssertNoMoreOpenFilesThan(int baseline, IReadOnlyList<string> baselineTargets)
    {
        var targets = OpenFileTargets;
        if (targets.Count > baseline)
        {
            var extra = targets.GroupBy(t => t).SelectMany(g => g.Skip(baselineTargets.Count(b => b == g.Key))).ToList();
            Assert.Fail($"{targets.Count} descriptors open, {baseline} before; extra: {string.Join(", ", extra)}");
        }
    }

    public static int Threads => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>Threads whose name starts with <paramref name="prefix"/> (names as the kernel keeps them: 15 bytes).</summary>
    public static int ThreadsNamed(string prefix) =>
        Directory.GetDirectories("/proc/self/task").Count(task => TryReadName(task)?.StartsWith(prefix, StringComparison.Ordinal) == true);

    private static string? TryReadName(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null; // the thread ended meanwhile
        }
    }

    /// <summary>Runs a command and returns its exit code and output, killing it (by pid) after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string argument, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, [argument]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            return (-1, await output, $"killed after {timeout}");
        }

        return (process.ExitCode, await output, await error);
    }
}
