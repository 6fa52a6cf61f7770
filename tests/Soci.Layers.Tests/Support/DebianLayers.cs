using System.Collections.Concurrent;
using Soci.Formats.Toc;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;
using Soci.TestEnvironment.Registry;

namespace Soci.Layers.Tests.Support;

/// <summary>The real Debian image's layers, pushed as blobs to a loopback registry; ztocs (4 MiB spans) built on first use.</summary>
public sealed class DebianLayers : IAsyncLifetime
{
    public const string Repository = "lazy/debian";
    private readonly ConcurrentDictionary<int, Ztoc> _ztocs = new();
    private TestDirectory? _directory;
    private HttpClient? _client;

    public IReadOnlyList<OciLayout.Layer> Layers { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Layers = OciLayout.Layers(await DebianImage.LayoutAsync());
        _directory = TestDirectory.Create("layers-debian");
        var registry = await LocalRegistry.StartAsync(_directory);
        _client = registry.CreateClient();
        foreach (var layer in Layers)
        {
            await BlobUpload.PushAsync(_client, Repository, layer.Path);
        }
    }

    public Ztoc Ztoc(int index) => _ztocs.GetOrAdd(index, i => LazyMount.BuildZtoc(Layers[i].Path, 4 << 20));

    public HttpRangeLayerBlob Blob(int index) => new(_client!, Repository, Layers[index].Digest, Layers[index].Size);

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
    }
}
