using System.Text.Json;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Transport;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Containerd;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.Cli.Tests;

/// <summary>
/// The parts one CLI test needs, in its own directory: the synthetic image as an OCI layout, a `soci` root, and on
/// request a loopback registry holding the image and a private containerd. Disposal stops them all by pid.
/// </summary>
public sealed class CliStack : IAsyncDisposable
{
    private static readonly RetryOptions FastRetries = new()
    {
        MaxRetries = 2,
        MinDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        OverallTimeout = TimeSpan.FromSeconds(120),
    };

    private CliStack(TestDirectory directory, string layout, BlobDescriptor manifest)
    {
        Directory = directory;
        Layout = layout;
        Manifest = manifest;
        Root = directory.File("soci-root");
    }

    public TestDirectory Directory { get; }

    /// <summary>OCI layout of the synthetic image (one layer above the 10 MiB ztoc minimum).</summary>
    public string Layout { get; }

    public BlobDescriptor Manifest { get; }

    /// <summary>The `--root` every command gets; created by the CLI itself.</summary>
    public string Root { get; }

    public LocalRegistry? Registry { get; private set; }

    public PrivateContainerd? Containerd { get; private set; }

    /// <summary>The synthetic image's reference in the registry (after <see cref="WithRegistryAsync"/>).</summary>
    public string ImageReference => Registry!.Reference("synthetic", "v1");

    public static CliStack Create(string purpose)
    {
        var directory = TestDirectory.Create(purpose);
        var layout = directory.Sub("layout");
        return new CliStack(directory, layout, SyntheticImage.WriteLayout(layout));
    }

    /// <summary>Starts a registry and pushes the synthetic image to it as <c>synthetic:v1</c> (same digests as the layout).</summary>
    public async Task<CliStack> WithRegistryAsync(RegistryOptions? options = null)
    {
        Registry = await LocalRegistry.StartAsync(Directory, options);
        await ImagePusher.PushAsync(Layout, SyntheticImage.Tag, Registry, "synthetic", "v1");
        return this;
    }

    public async Task<CliStack> WithContainerdAsync()
    {
        Containerd = await PrivateContainerd.StartAsync(Directory);
        return this;
    }

    /// <summary>Runs the published `soci` with this stack's root (and containerd, when started).</summary>
    public Task<CommandResult> SociAsync(params string[] arguments) => SociAsync(null, arguments);

    /// <summary>Runs `soci` with extra environment variables (e.g. DOCKER_CONFIG).</summary>
    public Task<CommandResult> SociAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        List<string> global = ["--root", Root];
        if (Containerd is not null)
        {
            global.AddRange(["--address", Containerd.Socket, "--namespace", PrivateContainerd.Namespace]);
        }

        return CommandRunner.RunAsync(RepositoryPaths.Executable("soci"), [.. global, .. arguments], TimeSpan.FromMinutes(5), environment: environment);
    }

    /// <summary>Runs `soci` with the soci content store (no containerd involved).</summary>
    public Task<CommandResult> SociStoreAsync(params string[] arguments) => SociAsync(["--content-store", "soci", .. arguments]);

    public RegistryClient RegistryClient() => new(new RegistryClientOptions { Retry = FastRetries });

    /// <summary>A blob of the soci content store under the root.</summary>
    public byte[] SociStoreBlob(string digest) => File.ReadAllBytes(Path.Combine(Root, "content", "blobs", "sha256", digest["sha256:".Length..]));

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>Output lines, without empty ones.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public ValueTask DisposeAsync() => Directory.DisposeAsync();
}
