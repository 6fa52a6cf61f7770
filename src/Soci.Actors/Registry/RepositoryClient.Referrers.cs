using System.Net;
using Soci.Actors.Registry.Oci;
using Soci.Actors.Registry.Transport;

namespace Soci.Actors.Registry;

/// <summary>
/// Referrers of a manifest (formats §5.6): the OCI Referrers API when the registry has it, else the referrers tag
/// schema — an OCI index tagged <c>sha256-&lt;hex&gt;</c> that pushers maintain (distribution 2.8 has no API).
/// </summary>
public sealed partial class RepositoryClient
{
    private const string FiltersAppliedAnnotation = "org.opencontainers.referrers.filtersApplied";

    public static string FallbackTag(string subjectDigest) => "sha256-" + ContentDigest.Hex(subjectDigest);

    /// <summary>Manifests whose subject is <paramref name="subjectDigest"/>, optionally only those of one artifact type.</summary>
    public async Task<IReadOnlyList<OciDescriptor>> GetReferrersAsync(string subjectDigest, string? artifactType, CancellationToken cancellationToken = default)
    {
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        Uri? next = Origin.Url($"{Repository}/referrers/{ContentDigest.Parse(subjectDigest)}{query}");
        var referrers = new List<OciDescriptor>();
        while (next is not null)
        {
            var page = await GetReferrersPageAsync(next, subjectDigest, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                return await GetFallbackReferrersAsync(subjectDigest, artifactType, cancellationToken).ConfigureAwait(false);
            }

            var (index, filtered, link) = page.Value;
            referrers.AddRange(filtered || artifactType is null ? index.Manifests : index.Manifests.Where(m => m.ArtifactType == artifactType));
            next = link;
        }

        return referrers;
    }

    /// <summary>
    /// Pushes a manifest that has a <c>subject</c>; when the registry does not process subjects itself, adds the
    /// manifest to the subject's referrers tag index (fetch, append, push, delete the replaced index).
    /// Two pushers doing this at once can lose one entry: the tag schema has no compare-and-swap.
    /// </summary>
    public async Task<OciDescriptor> PushReferrerAsync(OciDescriptor referrer, byte[] bytes, string subjectDigest, CancellationToken cancellationToken = default)
    {
        var (pushed, subjectProcessed) = await PushManifestAsync(referrer.Digest, referrer.MediaType, bytes, cancellationToken).ConfigureAwait(false);
        if (subjectProcessed)
        {
            return pushed;
        }

        var tag = FallbackTag(subjectDigest);
        FetchedManifest? existing = null;
        try
        {
            existing = await GetManifestAsync(tag, [OciMediaTypes.ImageIndex], cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException)
        {
        }

        var index = existing?.AsIndex() ?? new OciIndex { MediaType = OciMediaTypes.ImageIndex };
        if (index.Manifests.Any(m => m.Digest == referrer.Digest))
        {
            return pushed;
        }

        var updated = index with { MediaType = OciMediaTypes.ImageIndex, Manifests = [.. index.Manifests, referrer] };
        await PushManifestAsync(tag, OciMediaTypes.ImageIndex, OciJson.Write(updated), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            await DeleteManifestAsync(existing.Descriptor.Digest, cancellationToken).ConfigureAwait(false);
        }

        return pushed;
    }

    private async Task<(OciIndex Index, bool Filtered, Uri? Next)?> GetReferrersPageAsync(Uri url, string subjectDigest, CancellationToken cancellationToken)
    {
        var target = Target("GET referrers of", subjectDigest);
        return await _transport.SendAsync<(RepositoryClient Self, Uri Url, OperationTarget Target), (OciIndex, bool, Uri?)?>(
            target,
            (Self: this, Url: url, Target: target),
            static state => state.Self.ManifestRequest(HttpMethod.Get, state.Url, [OciMediaTypes.ImageIndex]),
            static async (response, state, cancellationToken) =>
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    if (await ResponseChecks.HasErrorCodeAsync(response, "NAME_UNKNOWN", cancellationToken).ConfigureAwait(false))
                    {
                        throw new RegistryNotFoundException($"{state.Target}: repository not found");
                    }

                    return null;
                }

                await ResponseChecks.EnsureSuccessAsync(response, state.Target, cancellationToken).ConfigureAwait(false);
                // ORAS compares the exact header value: parameters make it "another type", i.e. no Referrers API.
                if (!response.Content.Headers.TryGetValues("Content-Type", out var types) || types.FirstOrDefault() != OciMediaTypes.ImageIndex)
                {
                    return null;
                }

                var bytes = await ReadLimitedAsync(response, MaxManifestBytes, state.Target, cancellationToken).ConfigureAwait(false);
                var index = OciJson.Parse<OciIndex>(bytes, $"{state.Target}: referrers index");
                var filtered = (response.Headers.TryGetValues("OCI-Filters-Applied", out var applied) && applied.Any(v => v.Contains("artifactType", StringComparison.Ordinal))) ||
                               (index.Annotations?.TryGetValue(FiltersAppliedAnnotation, out var annotation) == true && annotation.Contains("artifactType", StringComparison.Ordinal));
                return (index, filtered, NextLink(response, state.Url));
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<OciDescriptor>> GetFallbackReferrersAsync(string subjectDigest, string? artifactType, CancellationToken cancellationToken)
    {
        try
        {
            var index = (await GetManifestAsync(FallbackTag(subjectDigest), [OciMediaTypes.ImageIndex], cancellationToken).ConfigureAwait(false)).AsIndex();
            return artifactType is null ? index.Manifests : index.Manifests.Where(m => m.ArtifactType == artifactType).ToList();
        }
        catch (RegistryNotFoundException)
        {
            return [];
        }
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, Uri url, IReadOnlyList<string> accept)
    {
        var request = RegistryTransport.Request(method, url, PullScope);
        foreach (var mediaType in accept)
        {
            request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    /// <summary>The <c>Link: &lt;url&gt;; rel="next"</c> of a paginated answer, resolved against the request URL.</summary>
    private static Uri? NextLink(HttpResponseMessage response, Uri requestUrl)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(value => value.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return new Uri(requestUrl, link[(open + 1)..close]);
            }
        }

        return null;
    }
}
