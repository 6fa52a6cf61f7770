using System.Buffers;
using Containerd.Services.Content.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Soci.Actors.Containerd;

/// <summary>
/// containerd's content store over its gRPC Content API: look blobs up, read them whole or streamed, write them
/// (digest-checked by containerd at commit) and set their labels. With a lease every write is held by that lease
/// until something references it. This is also what <c>soci create</c>/<c>push</c>/<c>convert</c> read images from.
/// </summary>
public sealed class ContainerdContentStore
{
    /// <summary>Data per Write message, well under containerd's 16 MiB message limit.</summary>
    public const int WriteChunkBytes = 4 << 20;

    private readonly ContainerdConnection _connection;
    private readonly string? _leaseId;

    public ContainerdContentStore(ContainerdConnection connection, ContainerdLease? lease = null)
    {
        _connection = connection;
        _leaseId = lease?.Id;
    }

    /// <summary>The blob's info, or null when the store does not have it.</summary>
    public async Task<ContentInfo?> InfoAsync(string digest, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await _connection.Content.InfoAsync(new InfoRequest { Digest = digest }, Call(cancellationToken)).ConfigureAwait(false);
            return ToInfo(reply.Info);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException error)
        {
            throw Fail(error, $"content info {digest}");
        }
    }

    /// <summary>Every blob matching containerd's filters (e.g. <c>labels."containerd.io/uncompressed"</c>); all blobs if none.</summary>
    public async Task<IReadOnlyList<ContentInfo>> ListAsync(IEnumerable<string>? filters = null, CancellationToken cancellationToken = default)
    {
        var request = new ListContentRequest();
        request.Filters.AddRange(filters ?? []);
        var result = new List<ContentInfo>();
        try
        {
            using var call = _connection.Content.List(request, Call(cancellationToken));
            await foreach (var page in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                result.AddRange(page.Info.Select(ToInfo));
            }
        }
        catch (RpcException error)
        {
            throw Fail(error, "list content");
        }

        return result;
    }

    /// <summary>Reads a whole blob into memory; refuses blobs larger than <paramref name="maxBytes"/> (manifests, configs, ztocs).</summary>
    public async Task<byte[]> ReadAllAsync(string digest, long maxBytes = 64 << 20, CancellationToken cancellationToken = default)
    {
        var info = await InfoAsync(digest, cancellationToken).ConfigureAwait(false)
                   ?? throw new ContainerdException($"content {digest}: not found in containerd's content store", StatusCode.NotFound);
        if (info.Size > maxBytes)
        {
            throw new ContainerdException($"content {digest}: {info.Size} bytes is more than the {maxBytes} expected", StatusCode.OutOfRange);
        }

        using var buffer = new MemoryStream((int)info.Size);
        await CopyToAsync(digest, buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length != info.Size)
        {
            throw new ContainerdException($"content {digest}: read {buffer.Length} of {info.Size} bytes", StatusCode.DataLoss);
        }

        return buffer.ToArray();
    }

    /// <summary>Streams a whole blob into <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(string digest, Stream destination, CancellationToken cancellationToken = default)
    {
        try
        {
            using var call = _connection.Content.Read(new ReadContentRequest { Digest = digest }, Call(cancellationToken));
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await destination.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            throw new ContainerdException($"content {digest}: not found in containerd's content store", StatusCode.NotFound, error);
        }
        catch (RpcException error)
        {
            throw Fail(error, $"read content {digest}");
        }
    }

    /// <summary>
    /// Reads the bytes of a blob from <paramref name="offset"/> into <paramref name="buffer"/> (containerd's ReaderAt);
    /// returns the count, short only where the blob ends.
    /// </summary>
    public async Task<int> ReadAtAsync(string digest, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A size of 0 asks containerd for the whole rest of the blob.
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var filled = 0;
        try
        {
            var request = new ReadContentRequest { Digest = digest, Offset = offset, Size = buffer.Length };
            using var call = _connection.Content.Read(request, Call(cancellationToken));
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var data = chunk.Data.Memory;
                if (data.Length > buffer.Length - filled)
                {
                    throw new ContainerdException($"read content {digest}: containerd sent more than the {buffer.Length} bytes asked at offset {offset}", StatusCode.OutOfRange);
                }

                data.CopyTo(buffer[filled..]);
                filled += data.Length;
            }
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            throw new ContainerdException($"content {digest}: not found in containerd's content store", StatusCode.NotFound, error);
        }
        catch (RpcException error)
        {
            throw Fail(error, $"read content {digest} at offset {offset}");
        }

        return filled;
    }

    /// <summary>
    /// Writes <paramref name="size"/> bytes from <paramref name="source"/> as the blob <paramref name="digest"/> with
    /// <paramref name="labels"/>; containerd verifies digest and size at commit. When the store already has the blob
    /// the labels are added to it instead. Returns whether bytes were written.
    /// </summary>
    public async Task<bool> WriteAsync(string digest, long size, Stream source, IReadOnlyDictionary<string, string> labels,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        // A reference of our own per write: a concurrent writer of the same blob must not find it locked.
        var reference = $"soci-{Guid.NewGuid():N}-{digest}";
        var buffer = ArrayPool<byte>.Shared.Rent(WriteChunkBytes);
        try
        {
            using var call = _connection.Content.Write(Call(cancellationToken));
            // containerd answers every request; reading the answers beside the writes (instead of one round trip per
            // chunk) keeps the next chunk's read from the source overlapping containerd's write of the last one.
            var answers = CountAnswersAsync(call.ResponseStream, cancellationToken);
            long offset = 0;
            var sent = 0;
            while (true)
            {
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, WriteChunkBytes), WriteChunkBytes, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                var last = read < WriteChunkBytes || offset + read >= size;
                var request = new WriteContentRequest
                {
                    Action = last ? WriteAction.Commit : WriteAction.Write,
                    Ref = reference,
                    Total = size,
                    Expected = digest,
                    Offset = offset,
                    Data = ByteString.CopyFrom(buffer, 0, read),
                };
                if (last)
                {
                    foreach (var (key, value) in labels)
                    {
                        request.Labels[key] = value;
                    }
                }

                if (answers.IsCompleted)
                {
                    break;
                }

                await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                sent++;
                offset += read;
                progress?.Report(offset);
                if (last)
                {
                    break;
                }
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var answered = await answers.ConfigureAwait(false);
            if (answered < sent || offset < size)
            {
                throw new ContainerdException($"write content {digest}: containerd closed the stream at offset {offset}", StatusCode.Aborted);
            }

            return true;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
        {
            await SetLabelsAsync(digest, labels, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (RpcException error)
        {
            await AbortQuietlyAsync(reference).ConfigureAwait(false);
            throw Fail(error, $"write content {digest}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> CountAnswersAsync(IAsyncStreamReader<WriteContentResponse> answers, CancellationToken cancellationToken)
    {
        var count = 0;
        while (await answers.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>Writes a blob held in memory (manifests, configs, indexes).</summary>
    public async Task<bool> WriteAsync(string digest, byte[] content, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        using var source = new MemoryStream(content, writable: false);
        return await WriteAsync(digest, content.Length, source, labels, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces the given labels of a blob, leaving its other labels alone; an empty value removes a label.</summary>
    public async Task SetLabelsAsync(string digest, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        if (labels.Count == 0)
        {
            return;
        }

        var info = new Info { Digest = digest };
        var mask = new FieldMask();
        foreach (var (key, value) in labels)
        {
            if (value.Length > 0)
            {
                info.Labels[key] = value;
            }

            mask.Paths.Add("labels." + key);
        }

        try
        {
            await _connection.Content.UpdateAsync(new UpdateRequest { Info = info, UpdateMask = mask }, Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw Fail(error, $"update labels of content {digest}");
        }
    }

    private async Task AbortQuietlyAsync(string reference)
    {
        try
        {
            await _connection.Content.AbortAsync(new AbortRequest { Ref = reference }, Call(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // Nothing was ingested under this reference, or the lease will release it anyway.
        }
    }

    private CallOptions Call(CancellationToken cancellationToken) => _connection.Call(_leaseId, cancellationToken);

    private ContainerdException Fail(RpcException error, string action) => ContainerdException.From(error, action, _connection.SocketPath);

    private static ContentInfo ToInfo(Info info) => new(info.Digest, info.Size, new Dictionary<string, string>(info.Labels));
}
