using Soci.Actors.Containerd;
using Soci.Actors.Pull;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Transport;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.Pull.Tests;

/// <summary>
/// Everything an rpull needs, started for one test in its own directory: a loopback registry, our daemon and a
/// private containerd with the daemon as its `soci` proxy snapshotter. Disposal stops them all by pid.
/// </summary>
public sealed class PullStack : IAsyncDisposable
{
    private static readonly RetryOptions FastRetries = new()
    {
        MaxRetries = 2,
        MinDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMinutes(2),
        OverallTimeout = TimeSpan.FromMinutes(5),
    };

    private PullStack(LoopbackNode node)
    {
        Node = node;
    }

    public LoopbackNode Node { get; }

    public TestDirectory Directory => Node.Directory;

    public LocalRegistry Registry => Node.Registry;

    public SnapshotterDaemonProcess Daemon => Node.Daemon;

    public PrivateContainerd Containerd => Node.Containerd;

    public static async Task<PullStack> StartAsync(string purpose, RegistryOptions? registryOptions = null)
    {
        var directory = TestDirectory.Create(purpose);
        try
        {
            return new PullStack(await LoopbackNode.StartAsync(directory, registryOptions));
        }
        catch
        {
            await directory.DisposeAsync();
            throw;
        }
    }

    public ContainerdConnection Connect() => ContainerdConnection.Open(Containerd.Socket, PrivateContainerd.Namespace);

    public RegistryClient RegistryClient(ICredentialProvider? credentials = null) => new(new RegistryClientOptions
    {
        Credentials = credentials ?? AnonymousCredentialProvider.Instance,
        Retry = FastRetries,
    });

    public async Task<ImagePullResult> RpullAsync(string reference, ImagePullOptions? options = null, ICredentialProvider? credentials = null)
    {
        using var containerd = Connect();
        using var registry = RegistryClient(credentials);
        return await new ImagePuller(containerd, registry).PullAsync(reference, options ?? new ImagePullOptions());
    }

    public async Task<string> PushSyntheticAsync(string repository = "synthetic")
    {
        var layout = Directory.Sub($"layout-{Guid.NewGuid().ToString("N")[..6]}");
        SyntheticImage.WriteLayout(layout);
        return await ImagePusher.PushAsync(layout, SyntheticImage.Tag, Registry, repository, "v1");
    }

    public async Task<string> PushDebianAsync() =>
        await ImagePusher.PushAsync(await DebianImage.LayoutAsync(), DebianImage.Tag, Registry, "debian-demo", "v1");

    /// <summary>`ctr` lines of a listing command, without the header.</summary>
    public async Task<IReadOnlyList<string>> CtrLinesAsync(params string[] arguments)
    {
        var result = (await Containerd.CtrAsync(arguments)).EnsureSuccess();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public Task<CommandResult> SociAsync(params string[] arguments) => Node.SociAsync(arguments);

    public ValueTask DisposeAsync() => Directory.DisposeAsync();
}
