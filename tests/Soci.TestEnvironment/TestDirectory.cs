using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment;

/// <summary>
/// A temporary directory that owns everything a test starts in it: the processes (recorded by pid and start time
/// in <c>processes</c>) and the mounts below it. Disposing stops those processes and unmounts those mounts only,
/// then deletes the directory. A directory whose owning test host died without disposing is swept by the next
/// test host (<see cref="SweepAbandoned"/>).
/// </summary>
public sealed class TestDirectory : IAsyncDisposable
{
    public const string Prefix = "soci-test-";
    private const string OwnerFile = "owner";
    private const string ProcessesFile = "processes";
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly Lock SweepLock = new();
    private static bool _swept;
    private readonly Lock _processesLock = new();
    private readonly List<Func<Task>> _beforeStop = [];

    private TestDirectory(string path) => Path = path;

    public string Path { get; }

    public static TestDirectory Create(string purpose)
    {
        SweepAbandonedOnce();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{Prefix}{purpose}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        var self = ProcessIdentity.Read(Environment.ProcessId, "test-host")!;
        System.IO.File.WriteAllText(System.IO.Path.Combine(path, OwnerFile), self.ToLine());
        return new TestDirectory(path);
    }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Records a process this directory now owns; it is stopped at disposal (or by the sweeper).</summary>
    public void Own(ProcessIdentity process)
    {
        lock (_processesLock)
        {
            System.IO.File.AppendAllText(File(ProcessesFile), process.ToLine() + "\n");
        }
    }

    /// <summary>Work that must run before the owned processes stop (e.g. deleting containerd tasks).</summary>
    public void BeforeStop(Func<Task> action) => _beforeStop.Add(action);

    public IReadOnlyList<ProcessIdentity> OwnedProcesses() => ReadProcesses(Path);

    public async ValueTask DisposeAsync()
    {
        foreach (var action in Enumerable.Reverse(_beforeStop))
        {
            try
            {
                await action();
            }
            catch (Exception error) when (error is InvalidOperationException or IOException or TimeoutException)
            {
                // Teardown continues: stopping the processes below is what must happen regardless.
            }
        }

        await TearDown(Path);
    }

    /// <summary>Tears down directories left by test hosts that died (killed, crashed) before disposing them.</summary>
    public static async Task SweepAbandoned()
    {
        foreach (var directory in Directory.GetDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            var ownerFile = System.IO.Path.Combine(directory, OwnerFile);
            var owner = System.IO.File.Exists(ownerFile)
                ? ProcessIdentity.ParseLine(System.IO.File.ReadAllText(ownerFile).Trim())
                : null;
            if (owner is null || !owner.IsAlive)
            {
                await TearDown(directory);
            }
        }
    }

    private static void SweepAbandonedOnce()
    {
        lock (SweepLock)
        {
            if (_swept)
            {
                return;
            }

            _swept = true;
        }

        SweepAbandoned().GetAwaiter().GetResult();
    }

    private static async Task TearDown(string path)
    {
        // Processes first (newest first: a daemon before the registry it talks to), then mounts they held.
        foreach (var process in Enumerable.Reverse(ReadProcesses(path)))
        {
            await process.StopAsync(StopGrace);
        }

        // containerd's shims daemonize away from containerd but name its socket (inside this directory) on their
        // command line; they and the containers below them were started for this directory too.
        foreach (var process in ProcessTable.NamingPathWithDescendants(path))
        {
            await process.StopAsync(StopGrace);
        }

        MountTable.UnmountAllUnder(path);
        if (MountTable.MountsUnder(path).Count == 0)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Another test host's sweep got there first.
            }
        }
    }

    private static List<ProcessIdentity> ReadProcesses(string path)
    {
        var file = System.IO.Path.Combine(path, ProcessesFile);
        return System.IO.File.Exists(file)
            ? System.IO.File.ReadAllLines(file).Select(ProcessIdentity.ParseLine).OfType<ProcessIdentity>().ToList()
            : [];
    }

    public override string ToString() => Path;
}
