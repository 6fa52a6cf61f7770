using Soci.Formats.Compression;
using Soci.Formats.Extraction;
using Soci.Formats.Toc;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Faults;
using Soci.TestEnvironment.Registry;

namespace Soci.Layers.Tests.Support;

/// <summary>
/// A ~100 MB generated layer pushed to a real loopback registry, reachable through a counting, fault-injecting
/// proxy; its ztoc (1 MiB spans) is built locally. Shared by the tests of one class.
/// </summary>
public sealed class RemoteLayer : IAsyncLifetime
{
    public const string Repository = "lazy/generated";
    public const long SpanSize = 1 << 20;
    private HttpClient? _client;

    public TestDirectory Directory { get; private set; } = null!;
    public FaultProxy Proxy { get; private set; } = null!;
    public string LayerPath { get; private set; } = "";
    public string Digest { get; private set; } = "";
    public long Size { get; private set; }
    public Ztoc Ztoc { get; private set; } = null!;
    public Zinfo Zinfo { get; private set; } = null!;
    public IReadOnlyList<int> FileSizes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory = TestDirectory.Create("layers-remote");
        var registry = await LocalRegistry.StartAsync(Directory);
        LayerPath = Directory.File("layer.tar.gz");
        FileSizes = GeneratedLayer.Write(LayerPath, files: 800, maxFileBytes: 256 * 1024);
        Size = new FileInfo(LayerPath).Length;
        using (var client = registry.CreateClient())
        {
            Digest = await BlobUpload.PushAsync(client, Repository, LayerPath);
        }
        Ztoc = LazyMount.BuildZtoc(LayerPath, SpanSize);
        Zinfo = Zinfo.FromZtoc(Ztoc);
        Proxy = FaultProxy.Start(registry.CreateClient());
        _client = new HttpClient { BaseAddress = Proxy.BaseUri };
    }

    public HttpRangeLayerBlob Blob() => new(_client!, Repository, Digest, Size);

    public FileMetadata File(int index) => Ztoc.Files.Single(f => f.Name.ToString() == GeneratedLayer.FileName(index));

    /// <summary>The file's bytes read straight from the local layer file (the reference).</summary>
    public async Task<byte[]> ExpectedContentAsync(int index)
    {
        using var local = new FileRangeReader(LayerPath);
        using var output = new MemoryStream();
        await new LayerReader(Ztoc, local).ExtractFileAsync(GeneratedLayer.FileName(index), output);
        return output.ToArray();
    }

    /// <summary>Indexes of files whose data lies within one span, smallest first.</summary>
    public IEnumerable<int> SingleSpanFiles() =>
        Enumerable.Range(0, FileSizes.Count)
            .Where(i => Zinfo.SpanOf(File(i).UncompressedOffset) == Zinfo.SpanOf(File(i).UncompressedOffset + FileSizes[i] - 1))
            .OrderBy(i => FileSizes[i]);

    public IReadOnlyList<ServedRequest> BlobRequests() => Proxy.Served.Where(r => r.Path.Contains("/blobs/", StringComparison.Ordinal)).ToList();

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        await Directory.DisposeAsync();
    }
}
