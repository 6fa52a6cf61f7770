using System.Security.Cryptography;
using Soci.Formats.Compression;
using Soci.Formats.Toc;

namespace Soci.Formats.Extraction;

/// <summary>
/// Random access to the uncompressed bytes of a layer through its ztoc: each requested range is served span by
/// span, fetching only the compressed bytes of those spans and inflating from their checkpoints.
/// </summary>
public sealed class LayerReader
{
    private readonly IRangeReader _layer;
    private readonly bool _verifySpans;

    /// <param name="ztoc">A parsed ztoc; it is checked for servability (span count, digests, monotonic offsets).</param>
    /// <param name="layer">Reads the compressed layer blob.</param>
    /// <param name="verifySpans">Check each fetched span against its sha256 digest.</param>
    public LayerReader(Ztoc ztoc, IRangeReader layer, bool verifySpans = true)
    {
        Ztoc = ztoc;
        Zinfo = Zinfo.FromZtoc(ztoc);
        Zinfo.CheckServable(ztoc);
        _layer = layer;
        _verifySpans = verifySpans;
    }

    public Ztoc Ztoc { get; }

    public Zinfo Zinfo { get; }

    /// <summary>
    /// Reads uncompressed bytes at <paramref name="offset"/>. The last span is served up to the real end of the
    /// data (which may lie past <see cref="Ztoc.UncompressedArchiveSize"/> when the tar has record padding), so a
    /// short count means the layer ended.
    /// </summary>
    public async Task<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var written = 0;
        for (var span = Zinfo.SpanOf(offset); written < buffer.Length && span <= Zinfo.MaxSpanId; span++)
        {
            var from = offset + written;
            var spanEnd = span == Zinfo.MaxSpanId ? long.MaxValue : Zinfo.EndUncompressedOffset(span);
            var wanted = (int)Math.Min(buffer.Length - written, spanEnd - from);
            var target = buffer.Slice(written, wanted);
            var produced = await ReadFromSpanAsync(span, from - Zinfo.StartUncompressedOffset(span), target, cancellationToken).ConfigureAwait(false);
            written += produced;
            if (produced < wanted)
            {
                if (span != Zinfo.MaxSpanId)
                {
                    throw new ZtocFormatException($"span {span} produced {produced} of {wanted} expected bytes");
                }
                break;
            }
        }
        return written;
    }

    /// <summary>Finds a TOC entry by exact name, following link targets as upstream's get-file does.</summary>
    public FileMetadata FindFile(string name)
    {
        var wanted = ByteString.FromString(name);
        var visited = new HashSet<ByteString>();
        while (true)
        {
            var file = Ztoc.Files.FirstOrDefault(f => f.Name.Equals(wanted))
                ?? throw new FileNotFoundException($"file {wanted} does not exist in metadata");
            if (file.Linkname.IsEmpty)
            {
                return file;
            }
            if (!visited.Add(file.Name))
            {
                throw new ZtocFormatException($"link loop at {file.Name}");
            }
            wanted = file.Linkname;
        }
    }

    /// <summary>Writes the data of the named entry (links followed) to <paramref name="destination"/>.</summary>
    public async Task ExtractFileAsync(string name, Stream destination, CancellationToken cancellationToken = default)
    {
        var file = FindFile(name);
        var buffer = new byte[(int)Math.Min(Math.Max(Zinfo.SpanSize, 64 * 1024), 8 * 1024 * 1024)];
        for (long done = 0; done < file.UncompressedSize;)
        {
            var chunk = (int)Math.Min(buffer.Length, file.UncompressedSize - done);
            var read = await ReadAsync(file.UncompressedOffset + done, buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
            if (read != chunk)
            {
                throw new ZtocFormatException($"file {file.Name} extends past the end of the layer");
            }
            await destination.WriteAsync(buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
            done += chunk;
        }
    }

    /// <summary>Serves part of one span; returns the bytes produced (short only when the data ends).</summary>
    private async Task<int> ReadFromSpanAsync(int span, long skip, Memory<byte> target, CancellationToken cancellationToken)
    {
        var compressedStart = Zinfo.StartCompressedOffset(span);
        var compressedLength = Zinfo.EndCompressedOffset(span) - compressedStart;
        if (Zinfo is TarZinfo && !_verifySpans)
        {
            var available = (int)Math.Clamp(compressedLength - skip, 0, target.Length);
            await ReadExactlyAsync(compressedStart + skip, target[..available], cancellationToken).ConfigureAwait(false);
            return available;
        }
        var compressed = new byte[compressedLength];
        await ReadExactlyAsync(compressedStart, compressed, cancellationToken).ConfigureAwait(false);
        if (_verifySpans)
        {
            Verify(span, compressed);
        }
        if (Zinfo is GzipZinfo gzip)
        {
            return SpanDecompressor.Decompress(compressed, gzip.Checkpoint(span), skip, target.Span);
        }
        var count = (int)Math.Clamp(compressedLength - skip, 0, target.Length);
        if (count > 0)
        {
            compressed.AsSpan((int)skip, count).CopyTo(target.Span);
        }
        return count;
    }

    private void Verify(int span, byte[] compressed)
    {
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(compressed));
        if (span >= Ztoc.SpanDigests.Count || actual != Ztoc.SpanDigests[span])
        {
            throw new ZtocFormatException($"span digests do not match for span {span}");
        }
    }

    private async Task ReadExactlyAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _layer.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        if (read != buffer.Length)
        {
            throw new ZtocFormatException($"unexpected data size: read {read} of {buffer.Length} bytes at layer offset {offset}");
        }
    }
}
