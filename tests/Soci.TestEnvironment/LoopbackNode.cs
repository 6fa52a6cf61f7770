using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.TestEnvironment;

/// <summary>
/// A node and its registry on loopback, under one test directory: a registry, our daemon, and a private
/// containerd whose `soci` proxy snapshotter is that daemon. The directory's disposal stops them all by pid.
/// </summary>
public sealed class LoopbackNode
{
    private LoopbackNode(TestDirectory directory, LocalRegistry registry, SnapshotterDaemonProcess daemon, PrivateContainerd containerd)
    {
        Directory = directory;
        Registry = registry;
        Daemon = daemon;
        Containerd = containerd;
    }

    public TestDirectory Directory { get; }

    public LocalRegistry Registry { get; }

    public SnapshotterDaemonProcess Daemon { get; }

    public PrivateContainerd Containerd { get; }

    public static async Task<LoopbackNode> StartAsync(TestDirectory directory, RegistryOptions? registryOptions = null)
    {
        var registry = await LocalRegistry.StartAsync(directory, registryOptions);
        var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
        var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });
        return new LoopbackNode(directory, registry, daemon, containerd);
    }

    /// <summary>
    /// Restarts our daemon (<see cref="SnapshotterDaemonProcess.RestartAsync"/>) and returns once containerd reaches
    /// it again: containerd's gRPC client backs off after losing the socket and fails snapshot calls meanwhile.
    /// </summary>
    public async Task RestartDaemonAsync(bool emptyRoot = false)
    {
        await Daemon.RestartAsync(emptyRoot);
        await Containerd.Process.WaitUntilReadyAsync(SnapshotterUnreachableBecause, TimeSpan.FromMinutes(2), "containerd reaching the restarted soci snapshotter");
    }

    /// <summary>
    /// Runs our CLI, out/soci, against the private containerd, as a user would with --address/--namespace, and with
    /// its own root under the node's directory: the artifacts database it writes is the node's, never the machine's
    /// (/var/lib/soci-snapshotter-grpc).
    /// </summary>
    public Task<CommandResult> SociAsync(params string[] arguments) =>
        CommandRunner.RunAsync(RepositoryPaths.Executable("soci"),
            ["--address", Containerd.Socket, "--namespace", PrivateContainerd.Namespace, "--root", Directory.Sub("soci-cli"), .. arguments],
            TimeSpan.FromMinutes(20));

    /// <summary>`ctr` against the private containerd; its output, or an exception naming the command and its errors.</summary>
    public async Task<string> CtrAsync(params string[] arguments) =>
        (await Containerd.CtrAsync(TimeSpan.FromMinutes(20), arguments)).EnsureSuccess().StandardOutput;

    private async Task<string?> SnapshotterUnreachableBecause()
    {
        var list = await Containerd.CtrAsync(TimeSpan.FromSeconds(30), "snapshots", "--snapshotter", "soci", "list");
        return list.ExitCode == 0 ? null : list.StandardError;
    }
}
