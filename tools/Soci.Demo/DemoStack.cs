using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.Demo;

/// <summary>
/// The real parts the demo drives, all on loopback and under one temporary directory: a registry, our daemon and
/// a private containerd whose `soci` proxy snapshotter is that daemon. The directory's disposal stops them by pid.
/// </summary>
public sealed class DemoStack
{
    private DemoStack(TestDirectory directory, LocalRegistry registry, SnapshotterDaemonProcess daemon, PrivateContainerd containerd)
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

    public static async Task<DemoStack> StartAsync(TestDirectory directory)
    {
        var registry = await LocalRegistry.StartAsync(directory);
        var daemon = await SnapshotterDaemonProcess.StartAsync(directory);
        var containerd = await PrivateContainerd.StartAsync(directory, new ContainerdOptions { SociSocket = daemon.Socket });
        return new DemoStack(directory, registry, daemon, containerd);
    }

    public async Task<string> CtrAsync(params string[] arguments) =>
        (await Containerd.CtrAsync(TimeSpan.FromMinutes(20), arguments)).EnsureSuccess().StandardOutput;

    /// <summary>Runs our CLI, out/soci, against the private containerd, as a user would with --address/--namespace.</summary>
    public async Task<string> SociAsync(params string[] arguments) =>
        (await CommandRunner.RunAsync(RepositoryPaths.Executable("soci"),
            ["--address", Containerd.Socket, "--namespace", PrivateContainerd.Namespace, .. arguments], TimeSpan.FromMinutes(20)))
        .EnsureSuccess().StandardOutput;
}
