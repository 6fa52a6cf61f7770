using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>Pushing blobs (monolithic or chunked, cross-repository mount when possible) and manifests.</summary>
public sealed partial class RepositoryClient
{
    /// <summary>Whether the repository already has the blob.</summary>
    public async Task<bool> BlobExistsAsync(string digest, CancellationToken cancellationToken = default)
    {
        var target = Target("HEAD blob", digest);
        return await _transport.SendAsync(
            target,
            (Self: this, Digest: digest, Target: target),
            static state => RegistryTransport.Request(HttpMethod.Head, state.Self.Origin.Url(state.Self.Repository, "blobs", state.Digest), state.Self.PushScope),
            static async (response, state, cancellationToken) =>
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }

                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a blob unless the repository has it. With <paramref name="mountFrom"/> (another repository of the same
    /// registry that has it) the registry is first asked to mount it, which copies nothing. Blobs up to the
    /// configured chunk size go up in one PUT; larger ones in PATCH chunks.
    /// </summary>
    /// <returns>false when the blob was already there.</returns>
    public async Task<bool> PushBlobAsync(OciDescriptor descriptor, Stream content, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        if (await BlobExistsAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var scope = mountFrom is null ? PushScope : RegistryScope.PushWithMount(Domain, Repository, mountFrom);
        var (location, mounted) = await StartUploadAsync(descriptor.Digest, mountFrom, scope, cancellationToken).ConfigureAwait(false);
        if (mounted)
        {
            return true;
        }

        var chunkSize = Client.Options.UploadChunkSize;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunkSize, Math.Max(descriptor.Size, 1)));
        try
        {
            if (descriptor.Size <= chunkSize)
            {
                var whole = await ReadChunkAsync(content, 0, buffer, (int)descriptor.Size, cancellationToken).ConfigureAwait(false);
                await PutUploadAsync(location, descriptor.Digest, whole, scope, cancellationToken).ConfigureAwait(false);
                return true;
            }

            for (long offset = 0; offset < descriptor.Size; offset += chunkSize)
            {
                var length = (int)Math.Min(chunkSize, descriptor.Size - offset);
                var chunk = await ReadChunkAsync(content, offset, buffer, length, cancellationToken).ConfigureAwait(false);
                location = await PatchUploadAsync(location, offset, chunk, scope, descriptor.Digest, cancellationToken).ConfigureAwait(false);
            }

            await PutUploadAsync(location, descriptor.Digest, ReadOnlyMemory<byte>.Empty, scope, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<bool> PushBlobAsync(OciDescriptor descriptor, byte[] content, CancellationToken cancellationToken = default) =>
        PushBlobAsync(descriptor, new MemoryStream(content, writable: false), null, cancellationToken);

    /// <summary>PUTs a manifest or index under a tag or its digest; returns its descriptor and whether the registry
    /// processed its <c>subject</c> (the <c>OCI-Subject</c> answer header of registries with the Referrers API).</summary>
    public async Task<(OciDescriptor Descriptor, bool SubjectProcessed)> PushManifestAsync(string reference, string mediaType, byte[] bytes,
        CancellationToken cancellationToken = default)
    {
        var digest = ContentDigest.Of(bytes);
        var target = Target("PUT manifest", reference);
        var subjectProcessed = await _transport.SendAsync(
            target,
            (Self: this, Reference: reference, MediaType: mediaType, Bytes: bytes, Target: target, Digest: digest),
            static state =>
            {
                var request = RegistryTransport.Request(HttpMethod.Put, state.Self.Origin.Url(state.Self.Repository, "manifests", state.Reference), state.Self.PushScope);
                request.Content = new ByteArrayContent(state.Bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(state.MediaType);
                return request;
            },
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                if (DockerContentDigest(response) is { } stored && stored != state.Digest)
                {
                    throw new RegistryException($"{state.Target}: the registry stored the manifest as {stored}, not {state.Digest}");
                }

                return response.Headers.Contains("OCI-Subject");
            },
            cancellationToken).ConfigureAwait(false);
        return (new OciDescriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length }, subjectProcessed);
    }

    /// <summary>Deletes a manifest by digest; false when the registry did not have it.</summary>
    public async Task<bool> DeleteManifestAsync(string digest, CancellationToken cancellationToken = default)
    {
        var target = Target("DELETE manifest", digest);
        return await _transport.SendAsync(
            target,
            (Self: this, Digest: digest, Target: target),
            static state => RegistryTransport.Request(HttpMethod.Delete, state.Self.Origin.Url(state.Self.Repository, "manifests", state.Digest), state.Self.PushScope),
            static async (response, state, cancellationToken) =>
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }

                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Uri Location, bool Mounted)> StartUploadAsync(string digest, string? mountFrom, RegistryScope scope, CancellationToken cancellationToken)
    {
        var target = Target("start upload of blob", digest);
        var query = mountFrom is null ? "" : $"?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(mountFrom)}";
        return await _transport.SendAsync(
            target,
            (Self: this, Url: Origin.Url($"{Repository}/blobs/uploads/{query}"), Scope: scope, Target: target),
            static state =>
            {
                var request = RegistryTransport.Request(HttpMethod.Post, state.Url, state.Scope);
                request.Content = new ByteArrayContent([]);
                return request;
            },
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                return (state.Self.UploadLocation(response, state.Target), response.StatusCode == HttpStatusCode.Created);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<Uri> PatchUploadAsync(Uri location, long offset, ReadOnlyMemory<byte> chunk, RegistryScope scope, string digest, CancellationToken cancellationToken)
    {
        var target = Target($"upload chunk at {offset} of blob", digest);
        return await _transport.SendAsync(
            target,
            (Self: this, Location: location, Offset: offset, Chunk: chunk, Scope: scope, Target: target),
            static state =>
            {
                var request = RegistryTransport.Request(HttpMethod.Patch, state.Location, state.Scope);
                request.Content = new ReadOnlyMemoryContent(state.Chunk);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{state.Offset}-{state.Offset + state.Chunk.Length - 1}");
                return request;
            },
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                return state.Self.UploadLocation(response, state.Target);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task PutUploadAsync(Uri location, string digest, ReadOnlyMemory<byte> content, RegistryScope scope, CancellationToken cancellationToken)
    {
        var target = Target("finish upload of blob", digest);
        var separator = location.Query.Length > 1 ? "&" : "?";
        await _transport.SendAsync(
            target,
            (Url: new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), Content: content, Scope: scope, Target: target),
            static state =>
            {
                var request = RegistryTransport.Request(HttpMethod.Put, state.Url, state.Scope);
                request.Content = new ReadOnlyMemoryContent(state.Content);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return request;
            },
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private Uri UploadLocation(HttpResponseMessage response, OperationTarget target)
    {
        var location = response.Headers.Location ?? throw new RegistryException($"{target}: the registry sent no upload Location");
        return location.IsAbsoluteUri ? location : new Uri(new Uri($"{Origin.Scheme}://{Origin.Host}/"), location);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadChunkAsync(Stream content, long offset, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            content.Position = offset;
        }

        var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read != length)
        {
            throw new RegistryException($"the blob content ended after {offset + read} bytes, before the size its descriptor gives");
        }

        return buffer.AsMemory(0, length);
    }
}
