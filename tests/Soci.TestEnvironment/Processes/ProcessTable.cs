using System.Globalization;

namespace Soci.TestEnvironment.Processes;

/// <summary>Looks up processes in /proc.</summary>
public static class ProcessTable
{
    /// <summary>Processes whose command line contains <paramref name="path"/>, and all their descendants.</summary>
    public static IReadOnlyList<ProcessIdentity> NamingPathWithDescendants(string path)
    {
        var parents = new Dictionary<int, int>();
        var found = new HashSet<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"{directory}/stat");
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (File.ReadAllText($"{directory}/cmdline").Replace('\0', ' ').Contains(path, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        bool added;
        do
        {
            added = false;
            foreach (var (pid, parent) in parents)
            {
                if (found.Contains(parent) && found.Add(pid))
                {
                    added = true;
                }
            }
        }
        while (added);

        return found.Select(pid => ProcessIdentity.Read(pid, "descendant")).OfType<ProcessIdentity>().ToList();
    }
}
