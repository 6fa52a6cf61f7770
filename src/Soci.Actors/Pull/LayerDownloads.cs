using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Pull;

/// <summary>
/// Layer blobs downloaded to temporary files, a few at a time. Once one layer has to be unpacked the later ones
/// probably must be too, so the puller starts their downloads early (<see cref="StartFrom"/>) and each unpack then
/// overlaps the next download; a layer that turns out to be remote has its download cancelled. Disposal stops
/// every download and deletes the files.
/// </summary>
internal sealed class LayerDownloads : IAsyncDisposable
{
    private readonly RepositoryClient _repository;
    private readonly IReadOnlyList<OciDescriptor> _layers;
    private readonly string _directory;
    private readonly SemaphoreSlim _slots;
    private readonly IProgress<PullProgress>? _progress;
    private readonly CancellationTokenSource _all;
    private readonly Dictionary<int, (Task<string> Download, CancellationTokenSource Cancel)> _started = [];

    public LayerDownloads(RepositoryClient repository, IReadOnlyList<OciDescriptor> layers, string parentDirectory, int concurrency,
        IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        _repository = repository;
        _layers = layers;
        _directory = Path.Combine(parentDirectory, $"soci-rpull-{Guid.NewGuid():N}");
        _slots = new SemaphoreSlim(Math.Max(1, concurrency));
        _progress = progress;
        _all = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Starts the downloads of layer <paramref name="index"/> and every later layer not started yet.</summary>
    public void StartFrom(int index)
    {
        for (var i = index; i < _layers.Count; i++)
        {
            Start(i);
        }
    }

    /// <summary>The path of layer <paramref name="index"/>'s verified blob, once downloaded.</summary>
    public Task<string> GetAsync(int index) => Start(index).Download;

    /// <summary>Stops a download that is no longer needed and deletes what it wrote.</summary>
    public void Cancel(int index)
    {
        if (_started.TryGetValue(index, out var started))
        {
            started.Cancel.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _all.CancelAsync().ConfigureAwait(false);
        foreach (var (download, _) in _started.Values)
        {
            try
            {
                await download.ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or RegistryException or IOException)
            {
                // The pull already has its outcome; a download nobody waits for may fail or stop.
            }
        }

        foreach (var (_, cancel) in _started.Values)
        {
            cancel.Dispose();
        }

        _all.Dispose();
        _slots.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private (Task<string> Download, CancellationTokenSource Cancel) Start(int index)
    {
        if (!_started.TryGetValue(index, out var started))
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_all.Token);
            started = (DownloadAsync(index, cancel.Token), cancel);
            _started[index] = started;
        }

        return started;
    }

    private async Task<string> DownloadAsync(int index, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var layer = _layers[index];
            Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, $"{index}-{ContentDigest.Hex(layer.Digest)}");
            var progress = _progress is null
                ? null
                : new DownloadProgress(_progress, layer);
            try
            {
                await _repository.DownloadBlobAsync(layer, path, progress, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(path);
                throw;
            }

            return path;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reports bytes on the downloading thread, so reports keep their order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class DownloadProgress(IProgress<PullProgress> target, OciDescriptor layer) : IProgress<long>
    {
        public void Report(long value) => target.Report(new PullProgress(layer.Digest, PullStage.Downloading, value, layer.Size));
    }
}
