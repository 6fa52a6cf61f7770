using System.Net.Http.Headers;
using System.Text.Json;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>
/// One repository of one registry: resolving references to manifests (with platform selection for indexes and
/// Docker manifest lists) and fetching manifests and blobs, every whole fetch verified against its digest.
/// Blob range reads go through <see cref="OpenBlobAsync"/>; pushes and referrers are in the other partial files.
/// </summary>
public sealed partial class RepositoryClient
{
    private const int MaxManifestBytes = 4 << 20;
    private readonly RegistryTransport _transport;

    internal RepositoryClient(RegistryClient client, string domain, string repository)
    {
        Client = client;
        _transport = client.Transport;
        Domain = domain;
        Repository = repository;
        Origin = client.Options.Hosts.Origin(domain);
        PullScope = RegistryScope.Pull(domain, repository);
        PushScope = RegistryScope.Push(domain, repository);
    }

    public RegistryClient Client { get; }

    public string Domain { get; }

    public string Repository { get; }

    public RegistryEndpoint Origin { get; }

    internal RegistryScope PullScope { get; }

    internal RegistryScope PushScope { get; }

    /// <summary>Fetches the manifest or index a tag or digest names; a digest reference must match the bytes.</summary>
    public Task<FetchedManifest> GetManifestAsync(string reference, CancellationToken cancellationToken = default) =>
        GetManifestAsync(reference, OciMediaTypes.AllManifests, cancellationToken);

    public async Task<FetchedManifest> GetManifestAsync(string reference, IReadOnlyList<string> accept, CancellationToken cancellationToken = default)
    {
        var target = Target("GET manifest", reference);
        return await _transport.SendAsync(
            target,
            (Self: this, Reference: reference, Accept: accept, Target: target),
            static state => state.Self.ManifestRequest(HttpMethod.Get, state.Reference, state.Accept),
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                var bytes = await ReadLimitedAsync(response, MaxManifestBytes, state.Target, cancellationToken).ConfigureAwait(false);
                var digest = ContentDigest.Of(bytes);
                var expected = ContentDigest.IsValid(state.Reference) ? state.Reference : DockerContentDigest(response);
                if (expected is not null && expected != digest)
                {
                    throw new ContentVerificationException($"{state.Target}: served content has digest {digest}, expected {expected}");
                }

                var mediaType = MediaTypeOf(response, bytes);
                return new FetchedManifest(new OciDescriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length }, bytes);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HEAD of a manifest: its descriptor, or null when the registry does not have it.</summary>
    public async Task<OciDescriptor?> HeadManifestAsync(string reference, CancellationToken cancellationToken = default)
    {
        var target = Target("HEAD manifest", reference);
        return await _transport.SendAsync(
            target,
            (Self: this, Reference: reference, Target: target),
            static state => state.Self.ManifestRequest(HttpMethod.Head, state.Reference, OciMediaTypes.AllManifests),
            static async (response, state, cancellationToken) =>
            {
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return null;
                }

                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                var digest = DockerContentDigest(response) ?? (ContentDigest.IsValid(state.Reference) ? state.Reference : null)
                             ?? throw new RegistryException($"{state.Target}: the registry sent no Docker-Content-Digest");
                return new OciDescriptor
                {
                    MediaType = response.Content.Headers.ContentType?.MediaType ?? OciMediaTypes.ImageManifest,
                    Digest = digest,
                    Size = response.Content.Headers.ContentLength ?? 0,
                };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves a tag or digest to the image manifest for <paramref name="platform"/>: an index or Docker
    /// manifest list is followed to its first entry matching the platform; a plain manifest is returned as is.
    /// </summary>
    public async Task<ResolvedImage> ResolveAsync(string reference, OciPlatform platform, CancellationToken cancellationToken = default)
    {
        var root = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (!root.IsIndex)
        {
            return new ResolvedImage(root, root);
        }

        var entry = SelectPlatform(root.AsIndex(), platform)
                    ?? throw new RegistryNotFoundException($"{Domain}/{Repository}:{reference}: image manifest for {platform}: not found");
        var manifest = await GetManifestAsync(entry.Digest, cancellationToken).ConfigureAwait(false);
        return new ResolvedImage(root, manifest with { Descriptor = manifest.Descriptor with { Platform = entry.Platform } });
    }

    /// <summary>The platform manifests of an index, skipping attestations and other non-image entries.</summary>
    public static IEnumerable<OciDescriptor> PlatformManifests(OciIndex index) =>
        index.Manifests.Where(entry => OciMediaTypes.IsManifest(entry.MediaType) && entry.Platform is { } platform &&
                                       platform.Os != "unknown" && platform.Architecture != "unknown" && entry.ArtifactType is null);

    public static OciDescriptor? SelectPlatform(OciIndex index, OciPlatform platform)
    {
        var candidates = PlatformManifests(index).ToList();
        return candidates.FirstOrDefault(entry => OciPlatform.Normalize(entry.Platform!) == OciPlatform.Normalize(platform))
               ?? candidates.FirstOrDefault(entry => platform.Matches(entry.Platform!));
    }

    /// <summary>Fetches a whole blob into memory, verifying size and digest (for manifests' configs, ztocs, indexes).</summary>
    public async Task<byte[]> GetBlobAsync(OciDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        var target = Target("GET blob", descriptor.Digest);
        return await _transport.SendAsync(
            target,
            (Self: this, Descriptor: descriptor, Target: target),
            static state => RegistryTransport.Request(HttpMethod.Get, state.Self.Origin.Url(state.Self.Repository, "blobs", state.Descriptor.Digest), state.Self.PullScope),
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                var bytes = await ReadLimitedAsync(response, checked((int)Math.Min(state.Descriptor.Size + 1, Array.MaxLength)), state.Target, cancellationToken)
                    .ConfigureAwait(false);
                BlobVerifier.Verify(bytes, state.Descriptor, state.Target);
                return bytes;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams a whole blob to a file, verifying size and digest; a failed attempt starts the file over.</summary>
    public Task DownloadBlobAsync(OciDescriptor descriptor, string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Target("GET blob", descriptor.Digest);
        return StreamBlobAsync(descriptor, async (body, attemptCancellation) =>
        {
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await BlobVerifier.CopyVerifiedAsync(body, file, descriptor, target, progress, attemptCancellation).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Streams a whole blob into <paramref name="consume"/> (e.g. containerd's content store, which checks size and
    /// digest when it commits); a failed attempt calls it again from the start.
    /// </summary>
    public async Task StreamBlobAsync(OciDescriptor descriptor, Func<Stream, CancellationToken, Task> consume, CancellationToken cancellationToken = default)
    {
        var target = Target("GET blob", descriptor.Digest);
        await _transport.SendAsync(
            target,
            (Self: this, Descriptor: descriptor, Target: target, Consume: consume),
            static state => RegistryTransport.Request(HttpMethod.Get, state.Self.Origin.Url(state.Self.Repository, "blobs", state.Descriptor.Digest), state.Self.PullScope),
            static async (response, state, cancellationToken) =>
            {
                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await state.Consume(body, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a blob for range reads, from the first mirror that serves it, else from the registry.</summary>
    public Task<RemoteBlob> OpenBlobAsync(string digest, long size = 0, CancellationToken cancellationToken = default) =>
        RemoteBlob.OpenAsync(_transport, PullScope, Client.Options.Hosts.BlobSources(Domain), Repository, ContentDigest.Parse(digest), size, cancellationToken);

    internal OperationTarget Target(string action, string subject) => new(action, Origin.Host, Repository, subject);

    private HttpRequestMessage ManifestRequest(HttpMethod method, string reference, IReadOnlyList<string> accept)
    {
        var request = RegistryTransport.Request(method, Origin.Url(Repository, "manifests", reference), PullScope);
        foreach (var mediaType in accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    internal static string? DockerContentDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    private static string MediaTypeOf(HttpResponseMessage response, byte[] bytes)
    {
        var declared = response.Content.Headers.ContentType?.MediaType;
        if (declared is not null && OciMediaTypes.AllManifests.Contains(declared))
        {
            return declared;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.TryGetProperty("mediaType", out var mediaType) && mediaType.GetString() is { Length: > 0 } inBody)
            {
                return inBody;
            }

            return document.RootElement.TryGetProperty("manifests", out _) ? OciMediaTypes.ImageIndex : OciMediaTypes.ImageManifest;
        }
        catch (JsonException)
        {
            return declared ?? OciMediaTypes.ImageManifest;
        }
    }

    /// <summary>Reads a body that must fit in <paramref name="limit"/> bytes; a longer one is refused, not truncated.</summary>
    internal static async ValueTask<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, OperationTarget target, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new ContentVerificationException($"{target}: the body is {response.Content.Headers.ContentLength} bytes, more than the {limit} expected");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ContentVerificationException($"{target}: the body is longer than the {limit} bytes expected");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
