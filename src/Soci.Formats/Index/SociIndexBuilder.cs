using System.Security.Cryptography;
using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Formats.Index;

/// <summary>
/// Builds a SOCI index for one platform image manifest (algorithms §1): decides per layer whether it gets a ztoc,
/// builds or reuses the ztocs (concurrently), and assembles the index manifest with upstream's annotations.
/// </summary>
public sealed class SociIndexBuilder
{
    private static readonly byte[] OpaqueWhiteout = ".wh..wh..opq"u8.ToArray();

    private readonly SociIndexBuildOptions _options;
    private readonly ISociIndexBuildContext _context;

    public SociIndexBuilder(SociIndexBuildOptions options, ISociIndexBuildContext context)
    {
        options.Validate();
        _options = options;
        _context = context;
    }

    /// <summary>
    /// Builds the index for the manifest <paramref name="subject"/> whose layers are <paramref name="layers"/>.
    /// The subject is recorded only in v1 indexes.
    /// </summary>
    /// <exception cref="SociIndexBuildException">A layer failed, or no layer got a ztoc.</exception>
    public async Task<SociIndexBuildResult> BuildAsync(Descriptor subject, IReadOnlyList<Descriptor> layers, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentLayers);
        var builds = layers.Select(layer => BuildLayerWithSlotAsync(layer, slots, cancellationToken)).ToList();
        var errors = new List<string>();
        var ztocs = new List<Descriptor>();
        foreach (var build in builds)
        {
            try
            {
                if (await build.ConfigureAwait(false) is { } descriptor)
                {
                    ztocs.Add(descriptor);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                errors.Add(error.Message);
            }
        }
        if (errors.Count > 0)
        {
            throw new SociIndexBuildException("errors encountered while building soci layers; " + string.Join("; ", errors));
        }
        if (ztocs.Count == 0)
        {
            throw new SociIndexBuildException("no ztocs created, all layers either skipped or produced errors");
        }
        var index = new SociIndex
        {
            ArtifactType = _options.ArtifactType,
            Blobs = ztocs,
            Subject = _options.ArtifactType == SociMediaTypes.IndexV1
                ? new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size }
                : null,
            Annotations = SociIndex.BuildToolAnnotations(_options.BuildTool),
        };
        var bytes = SociIndexSerializer.Serialize(index);
        return new SociIndexBuildResult(index, bytes, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private async Task<Descriptor?> BuildLayerWithSlotAsync(Descriptor layer, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await BuildLayerAsync(layer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The layer's ztoc descriptor, or null when the layer is skipped (checks in upstream's order).</summary>
    private async Task<Descriptor?> BuildLayerAsync(Descriptor layer, CancellationToken cancellationToken)
    {
        if (layer.MediaType == SociMediaTypes.Prefetch)
        {
            return null;
        }
        if (!LayerMediaTypes.IsLayer(layer.MediaType))
        {
            throw new SociIndexBuildException($"layer {layer.Digest}: not a layer mediaType: {layer.MediaType}");
        }
        if (layer.Size < _options.MinLayerSize)
        {
            _context.Report($"ztoc skipped - layer {layer.Digest} ({layer.MediaType}) size {layer.Size} is less than min-layer-size {_options.MinLayerSize}");
            return null;
        }
        var compression = LayerMediaTypes.Compression(layer.MediaType);
        if (LayerMediaTypes.ZtocAlgorithm(compression) is not { } algorithm)
        {
            _context.Report($"ztoc skipped - layer {layer.Digest} ({layer.MediaType}) is compressed in an unsupported format. expect: {LayerMediaTypes.SupportedList} but got \"{compression}\"");
            return null;
        }

        var existing = _options.ReuseExistingZtocs
            ? await _context.FindZtocAsync(layer, _options.SpanSize, cancellationToken).ConfigureAwait(false)
            : null;
        StoredZtoc stored;
        if (existing is not null)
        {
            stored = existing;
            _context.Report($"layer {layer.Digest} -> ztoc {stored.Digest} (already exists)");
        }
        else
        {
            stored = await BuildZtocAsync(layer, algorithm, cancellationToken).ConfigureAwait(false);
            await _context.StoreZtocAsync(layer, stored, _options.SpanSize, cancellationToken).ConfigureAwait(false);
            _context.Report($"layer {layer.Digest} -> ztoc {stored.Digest}");
        }
        var disableXattrs = _options.DisableXattrsWhenUnused && !UsesXattrs(ZtocParser.Parse(stored.Bytes));
        return SociIndex.ZtocDescriptor(stored.Digest, stored.Bytes.Length, layer.Digest, layer.MediaType, _options.SpanSize, disableXattrs);
    }

    private async Task<StoredZtoc> BuildZtocAsync(Descriptor layer, string algorithm, CancellationToken cancellationToken)
    {
        var blob = await _context.OpenLayerAsync(layer, cancellationToken).ConfigureAwait(false);
        await using var counted = new ProgressReportingStream(blob, read => _context.ReportProgress(layer, read, 2 * layer.Size));
        if (blob.Length != layer.Size)
        {
            throw new SociIndexBuildException($"layer {layer.Digest}: blob is {blob.Length} bytes but its descriptor says {layer.Size}");
        }
        try
        {
            var ztoc = await Task.Run(() => new ZtocBuilder(_options.BuildTool).Build(counted, algorithm, _options.SpanSize), cancellationToken)
                .ConfigureAwait(false);
            return StoredZtoc.Of(ZtocSerializer.Serialize(ztoc));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new SociIndexBuildException($"layer {layer.Digest}: {error.Message}", error);
        }
    }

    /// <summary>Whether a layer needs xattr support: any SCHILY.xattr record, or an opaque-directory marker (formats §5.4).</summary>
    private static bool UsesXattrs(Ztoc ztoc) =>
        ztoc.Files.Any(file => file.Name.EndsWith(OpaqueWhiteout) || file.PaxRecords.Any(record => record.Key.StartsWith(PaxRecord.XattrPrefix)));
}
