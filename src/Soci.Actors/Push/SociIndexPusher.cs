using Soci.Actors.Conversion.Content;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Oci;
using Soci.Formats.Index;
using Soci.Formats.Toc;

namespace Soci.Actors.Push;

/// <summary>
/// Pushes a v1 SOCI index and its graph (cli.md §4 steps 4–6): looks for indexes the repository already has for the
/// image manifest (Referrers API or the <c>sha256-&lt;hex&gt;</c> tag schema, formats §5.6), applies the
/// <c>--existing-index</c> policy, then uploads the config, ztocs, prefetch artifacts and subject the repository lacks
/// and finally the index, registering it as a referrer of its subject.
/// </summary>
public sealed class SociIndexPusher
{
    private readonly IImageContent _content;
    private readonly RepositoryClient _repository;
    private readonly TextWriter _output;

    public SociIndexPusher(IImageContent content, RepositoryClient repository, TextWriter output)
    {
        _content = content;
        _repository = repository;
        _output = TextWriter.Synchronized(output);
    }

    /// <summary>Returns false when the policy was <c>skip</c> and the repository already had an index.</summary>
    /// <exception cref="SociPushException">Looking up referrers or pushing failed.</exception>
    public async Task<bool> PushAsync(string indexDigest, SociIndexPushOptions options, CancellationToken cancellationToken)
    {
        var bytes = await _content.TryReadAsync(indexDigest, cancellationToken).ConfigureAwait(false)
                    ?? throw new SociPushException($"soci index {indexDigest}: not found in the content store");
        SociIndex index;
        try
        {
            index = SociIndexSerializer.Parse(bytes);
        }
        catch (ZtocFormatException error)
        {
            throw new SociPushException($"soci index {indexDigest}: {error.Message}", error);
        }

        var subject = index.Subject is { } s && index.ArtifactType == SociMediaTypes.IndexV1
            ? s
            : throw new SociPushException($"soci index {indexDigest} is not a v1 index with a subject");

        if (options.ExistingIndex != ExistingIndexPolicy.Allow && !await ShouldPushOverExistingAsync(subject.Digest, options, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await WriteLineAsync(options.Quiet ? indexDigest : $"pushing soci index with digest: {indexDigest}").ConfigureAwait(false);
        var root = new OciDescriptor
        {
            MediaType = SociMediaTypes.ImageManifest,
            Digest = indexDigest,
            Size = bytes.Length,
            ArtifactType = index.ArtifactType,
            Annotations = index.Annotations,
        };
        var graph = new ContentGraphPusher(_content, _repository, options.MaxConcurrentUploads, (kind, node) =>
        {
            if (!options.Quiet)
            {
                _output.WriteLine(kind switch
                {
                    GraphPushEvent.Pushing => $"pushing artifact with digest: {node.Digest}",
                    GraphPushEvent.Pushed => $"successfully pushed artifact with digest: {node.Digest}",
                    _ => $"skipped artifact with digest: {node.Digest}",
                });
            }
        });
        try
        {
            await graph.PushAsync(root, (descriptor, content, token) => _repository.PushReferrerAsync(descriptor, content, subject.Digest, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is RegistryException or ImageContentNotFoundException or IOException)
        {
            throw new SociPushException($"error pushing graph to remote: {error.Message}", error);
        }

        return true;
    }

    private async Task<bool> ShouldPushOverExistingAsync(string subjectDigest, SociIndexPushOptions options, CancellationToken cancellationToken)
    {
        if (!options.Quiet)
        {
            await WriteLineAsync("checking if a soci index already exists in remote repository...").ConfigureAwait(false);
        }

        IReadOnlyList<OciDescriptor> existing;
        try
        {
            existing = await _repository.GetReferrersAsync(subjectDigest, SociMediaTypes.IndexV1, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException error)
        {
            throw new SociPushException($"failed to fetch list of referrers: {error.Message}", error);
        }

        if (existing.Count == 0)
        {
            return true;
        }

        var found = existing.Count == 1
            ? $"soci index found in remote repository with digest: {existing[0].Digest}"
            : "multiple soci indices found in remote repository";
        if (options.ExistingIndex == ExistingIndexPolicy.Skip)
        {
            if (!options.Quiet)
            {
                await WriteLineAsync($"{found}: skipping pushing artifacts for image manifest: {subjectDigest}").ConfigureAwait(false);
            }

            return false;
        }

        await WriteLineAsync($"[WARN] {found}: pushing index anyway").ConfigureAwait(false);
        return true;
    }

    private Task WriteLineAsync(string line) => _output.WriteLineAsync(line);
}
