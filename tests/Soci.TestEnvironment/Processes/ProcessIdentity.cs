using System.Globalization;

namespace Soci.TestEnvironment.Processes;

/// <summary>
/// A process as this environment started it: its pid plus the kernel's start time, so that a pid the kernel has
/// since reused for someone else's process is never signalled.
/// </summary>
public sealed record ProcessIdentity(int Pid, long StartTicks, string Name)
{
    public static ProcessIdentity? Read(int pid, string name)
    {
        var start = ReadStartTicks(pid);
        return start is null ? null : new ProcessIdentity(pid, start.Value, name);
    }

    public bool IsAlive => ReadStartTicks(Pid) == StartTicks && !IsZombie();

    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTicks} {Name}");

    public static ProcessIdentity? ParseLine(string line)
    {
        var parts = line.Split(' ', 3);
        return parts.Length == 3
               && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
               && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(pid, start, parts[2])
            : null;
    }

    /// <summary>Field 22 of /proc/PID/stat; the command name (field 2) may contain spaces, so count from its ')'.</summary>
    private static long? ReadStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    private bool IsZombie()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>SIGTERM, then SIGKILL after the grace period; returns once the process is gone.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!IsAlive)
        {
            return;
        }

        Native.Signal(Pid, Native.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (IsAlive)
        {
            Native.Signal(Pid, Native.SigKill);
            while (IsAlive)
            {
                await Task.Delay(20);
            }
        }
    }
}
