namespace Soci.Formats.Index;

/// <summary>A built SOCI index: its manifest JSON, digest and the descriptor tools use to refer to it.</summary>
public sealed record SociIndexBuildResult(SociIndex Index, byte[] Bytes, string Digest)
{
    /// <summary><c>{mediaType: OCI manifest, digest, size, artifactType}</c> (formats §5.2).</summary>
    public Descriptor Descriptor => new()
    {
        MediaType = SociMediaTypes.ImageManifest,
        Digest = Digest,
        Size = Bytes.Length,
        ArtifactType = Index.ArtifactType,
    };
}
