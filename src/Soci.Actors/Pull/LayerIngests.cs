using Soci.Actors.Containerd;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Pull;

/// <summary>
/// Layer blobs streamed from the registry straight into containerd's content store (which checks size and digest
/// when it commits), a few at a time, as containerd's own pull does: no temporary copy, and a layer's transfer
/// overlaps the unpacking of the layers below it. Once one layer has to be unpacked the later ones probably must
/// be too, so the puller starts their ingests early (<see cref="StartFrom"/>); a layer that turns out to be
/// remote has its ingest cancelled, and the partial ingest goes with the pull's lease. Disposal stops them all.
/// </summary>
internal sealed class LayerIngests : IAsyncDisposable
{
    private readonly RepositoryClient _repository;
    private readonly ContainerdContentStore _content;
    private readonly IReadOnlyList<(OciDescriptor Blob, string DiffId)> _layers;
    private readonly SemaphoreSlim _slots;
    private readonly IProgress<PullProgress>? _progress;
    private readonly CancellationTokenSource _all;
    private readonly Dictionary<int, (Task Ingest, CancellationTokenSource Cancel)> _started = [];

    public LayerIngests(RepositoryClient repository, ContainerdContentStore content, IReadOnlyList<(OciDescriptor Blob, string DiffId)> layers,
        int concurrency, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        _repository = repository;
        _content = content;
        _layers = layers;
        _slots = new SemaphoreSlim(Math.Max(1, concurrency));
        _progress = progress;
        _all = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Starts the ingests of layer <paramref name="index"/> and every later layer not started yet.</summary>
    public void StartFrom(int index)
    {
        for (var i = index; i < _layers.Count; i++)
        {
            Start(i);
        }
    }

    /// <summary>Completes once layer <paramref name="index"/>'s blob is committed in the content store.</summary>
    public Task WaitAsync(int index) => Start(index).Ingest;

    /// <summary>Stops an ingest that is no longer needed.</summary>
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
        foreach (var (ingest, _) in _started.Values)
        {
            try
            {
                await ingest.ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or RegistryException or ContainerdException or IOException)
            {
                // The pull already has its outcome; an ingest nobody waits for may fail or stop.
            }
        }

        foreach (var (_, cancel) in _started.Values)
        {
            cancel.Dispose();
        }

        _all.Dispose();
        _slots.Dispose();
    }

    private (Task Ingest, CancellationTokenSource Cancel) Start(int index)
    {
        if (!_started.TryGetValue(index, out var started))
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_all.Token);
            started = (IngestAsync(index, cancel.Token), cancel);
            _started[index] = started;
        }

        return started;
    }

    private async Task IngestAsync(int index, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (blob, diffId) = _layers[index];
            var labels = new Dictionary<string, string> { [ContainerdLabels.Uncompressed] = diffId };
            var progress = _progress is null ? null : new IngestProgress(_progress, blob);
            await _repository.StreamBlobAsync(
                blob,
                (body, attemptCancellation) => _content.WriteAsync(blob.Digest, blob.Size, body, labels, progress, attemptCancellation),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reports bytes on the ingesting thread, so reports keep their order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class IngestProgress(IProgress<PullProgress> target, OciDescriptor layer) : IProgress<long>
    {
        public void Report(long value) => target.Report(new PullProgress(layer.Digest, PullStage.Downloading, value, layer.Size));
    }
}
