using System.Text;
using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment.Containerd;

/// <summary>
/// A containerd of the test's own (root, state and socket under the test directory), driven with `ctr`. Before it
/// stops, every task it runs is killed and deleted, so no shim or container outlives the test.
/// </summary>
public sealed class PrivateContainerd
{
    public const string Namespace = "soci-test";
    private readonly ManagedProcess _process;

    private PrivateContainerd(ManagedProcess process, string socket, string root)
    {
        _process = process;
        Socket = socket;
        Root = root;
    }

    public string Socket { get; }

    public string Root { get; }

    public ManagedProcess Process => _process;

    public static async Task<PrivateContainerd> StartAsync(TestDirectory owner, ContainerdOptions? options = null)
    {
        options ??= ContainerdOptions.Default;
        var directory = owner.Sub($"containerd-{Guid.NewGuid().ToString("N")[..6]}");
        var root = Path.Combine(directory, "root");
        var state = Path.Combine(directory, "state");
        var socket = Path.Combine(directory, "containerd.sock");
        var config = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(config, Config(root, state, socket, options));

        var process = ManagedProcess.Start(owner, $"containerd-{Path.GetFileName(directory)}", "containerd", ["--config", config]);
        var containerd = new PrivateContainerd(process, socket, root);
        owner.BeforeStop(containerd.DeleteAllTasksAsync);
        await process.WaitUntilReadyAsync(containerd.NotAnsweringBecause, TimeSpan.FromSeconds(30), $"containerd on {socket}");
        return containerd;
    }

    /// <summary>Runs `ctr` against this containerd in the test namespace.</summary>
    public Task<CommandResult> CtrAsync(params string[] arguments) => CtrAsync(TimeSpan.FromMinutes(10), arguments);

    public Task<CommandResult> CtrAsync(TimeSpan timeout, params string[] arguments) =>
        CommandRunner.RunAsync("ctr", ["--address", Socket, "--namespace", Namespace, .. arguments], timeout);

    private async Task<string?> NotAnsweringBecause()
    {
        if (!File.Exists(Socket))
        {
            return $"{Socket} does not exist yet";
        }

        var version = await CommandRunner.RunAsync("ctr", "--address", Socket, "version");
        return version.ExitCode == 0 ? null : version.StandardError;
    }

    private async Task DeleteAllTasksAsync()
    {
        if (!_process.IsRunning)
        {
            return;
        }

        var tasks = await CtrAsync(TimeSpan.FromSeconds(30), "tasks", "list", "--quiet");
        foreach (var task in tasks.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await CtrAsync(TimeSpan.FromSeconds(30), "tasks", "kill", "--signal", "SIGKILL", task);
            await CtrAsync(TimeSpan.FromSeconds(30), "tasks", "delete", "--force", task);
        }

        var containers = await CtrAsync(TimeSpan.FromSeconds(30), "containers", "list", "--quiet");
        foreach (var container in containers.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await CtrAsync(TimeSpan.FromSeconds(30), "containers", "delete", container);
        }
    }

    private static string Config(string root, string state, string socket, ContainerdOptions options)
    {
        var toml = new StringBuilder();
        toml.AppendLine("version = 2");
        toml.AppendLine($"root = \"{root}\"");
        toml.AppendLine($"state = \"{state}\"");
        if (!options.EnableCri)
        {
            toml.AppendLine("disabled_plugins = [\"io.containerd.grpc.v1.cri\"]");
        }

        toml.AppendLine("[grpc]");
        toml.AppendLine($"  address = \"{socket}\"");
        toml.AppendLine("[ttrpc]");
        toml.AppendLine($"  address = \"{socket}.ttrpc\"");
        // The private instance keeps its own metrics and debug sockets off the host's defaults.
        toml.AppendLine("[debug]");
        toml.AppendLine($"  address = \"{socket}.debug\"");
        if (options.SociSocket is { } soci)
        {
            toml.AppendLine("[proxy_plugins]");
            toml.AppendLine("  [proxy_plugins.soci]");
            toml.AppendLine("    type = \"snapshot\"");
            toml.AppendLine($"    address = \"{soci}\"");
        }

        return toml.ToString();
    }
}
