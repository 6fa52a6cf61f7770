using System.Diagnostics;

namespace Soci.TestEnvironment.Processes;

/// <summary>
/// A long-running server (registry, containerd, our daemon) started for a test. Its output goes to a log file in
/// the owning <see cref="TestDirectory"/>, which also records its pid so it is stopped even if the test fails.
/// </summary>
public sealed class ManagedProcess
{
    private readonly ProcessIdentity _identity;

    private ManagedProcess(ProcessIdentity identity, string logPath)
    {
        _identity = identity;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public int Pid => _identity.Pid;

    public bool IsRunning => _identity.IsAlive;

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public static ManagedProcess Start(TestDirectory owner, string name, string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var logPath = owner.File($"{name}.log");
        // The shell only redirects and then execs the program, so the recorded pid is the program's own.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec {Quote(program)} {string.Join(' ', arguments.Select(Quote))} >>{Quote(logPath)} 2>&1 </dev/null");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var identity = ProcessIdentity.Read(process.Id, name)
                       ?? throw new InvalidOperationException($"{name} exited at once; log: {logPath}");
        owner.Own(identity);
        return new ManagedProcess(identity, logPath);
    }

    /// <summary>
    /// Waits until <paramref name="notReadyBecause"/> returns null (ready); fails early with the log if the
    /// process exits, and with the last reason and the log on timeout.
    /// </summary>
    public async Task WaitUntilReadyAsync(Func<Task<string?>> notReadyBecause, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var reason = "not checked yet";
        while (DateTime.UtcNow < deadline)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{what}: the process exited\n{Log()}");
            }

            if ((reason = await notReadyBecause()!) is null)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what}: not ready after {timeout}: {reason}\n{Log()}");
    }

    public Task StopAsync(TimeSpan grace) => _identity.StopAsync(grace);

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
