using Akka.TestKit;
using Soci.Actors.Layers.Spans;
using Soci.Actors.Runtime;
using Soci.Actors.Runtime.Background;
using Soci.Actors.Runtime.Contexts;
using Soci.Actors.Runtime.Layers;
using Soci.Actors.Runtime.Mounts;
using Soci.TestEnvironment;

namespace Soci.Runtime.Tests.Support;

/// <summary>
/// A <see cref="FileSystemActor"/> over test layers: SOCI contexts from a <see cref="FixedArtifactFetcher"/>
/// (or a given fetcher), layers from local files, real FUSE mounts under a <see cref="TestDirectory"/>. Disposing
/// stops the actor (which unmounts) and tears the directory down (unmounting whatever is left).
/// </summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    public static readonly TimeSpan MountTimeout = TimeSpan.FromSeconds(20);

    private readonly TestKitBase _kit;

    private RuntimeHarness(TestKitBase kit, TestDirectory directory, IReadOnlyList<TestLayer> layers, RuntimeSettings settings,
        ISociArtifactFetcher? fetcher, Func<ILayerBlob, ILayerBlob>? wrapBlob)
    {
        _kit = kit;
        Directory = directory;
        Settings = settings;
        Fetcher = new FixedArtifactFetcher(layers);
        Layers = new LocalLayerFactory(directory.Sub("layers"), layers, wrapBlob);
        FileSystem = kit.Sys.ActorOf(FileSystemActor.Props(fetcher ?? Fetcher, Layers, settings), "soci-fs");
    }

    public TestDirectory Directory { get; }

    public RuntimeSettings Settings { get; }

    public FixedArtifactFetcher Fetcher { get; }

    public LocalLayerFactory Layers { get; }

    public IActorRef FileSystem { get; }

    public TestImage Image => Fetcher.Image;

    /// <param name="overrides">HOCON over the reference configuration (e.g. a short mount timeout).</param>
    public static RuntimeHarness Start(TestKitBase kit, string purpose, IReadOnlyList<TestLayer> layers, string overrides = "",
        Func<ILayerBlob, ILayerBlob>? wrapBlob = null, ISociArtifactFetcher? fetcher = null) =>
        new(kit, TestDirectory.Create(purpose), layers, RuntimeSettings.Create(RuntimeConfiguration.With(overrides)), fetcher, wrapBlob);

    /// <summary>A new empty directory to mount on.</summary>
    public string MountPoint(string name) => Directory.Sub(Path.Combine("mnt", name));

    /// <summary>Mounts <paramref name="layer"/> and expects success.</summary>
    public string Mount(string name, TestLayer layer, IReadOnlyDictionary<string, string>? labels = null)
    {
        var mountPoint = MountPoint(name);
        FileSystem.Tell(new MountLayer(mountPoint, labels ?? Image.LabelsFor(layer)), _kit.TestActor);
        Assert.Equal(mountPoint, _kit.ExpectMsg<MountSucceeded>(MountTimeout).MountPoint);
        return mountPoint;
    }

    public void Unmount(string mountPoint)
    {
        FileSystem.Tell(new UnmountLayer(mountPoint), _kit.TestActor);
        Assert.Equal(mountPoint, _kit.ExpectMsg<Unmounted>(MountTimeout).MountPoint);
    }

    public LayerCacheStatus CacheStatus()
    {
        FileSystem.Tell(GetLayerCacheStatus.Instance, _kit.TestActor);
        return _kit.ExpectMsg<LayerCacheStatus>();
    }

    public BackgroundFetchStatus BackgroundStatus()
    {
        FileSystem.Tell(GetBackgroundFetchStatus.Instance, _kit.TestActor);
        return _kit.ExpectMsg<BackgroundFetchStatus>();
    }

    /// <summary>Span cache directories the layers still have on disk.</summary>
    public int SpanCacheDirectories =>
        System.IO.Directory.Exists(Layers.CacheRoot) ? System.IO.Directory.GetDirectories(Layers.CacheRoot).Length : 0;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FileSystem.GracefulStop(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await Directory.DisposeAsync();
        }
    }
}
