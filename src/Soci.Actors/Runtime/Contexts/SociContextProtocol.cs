namespace Soci.Actors.Runtime.Contexts;

/// <summary>Asks for the SOCI context of an image; answered with <see cref="SociContextReady"/> or <see cref="SociContextFailed"/>.</summary>
public sealed record GetSociContext(ImageSource Image) : ISociMessage
{
    /// <summary>One context per image manifest (the reference when a client sent no manifest digest).</summary>
    public string ContextKey => Image.ManifestDigest.Length > 0 ? Image.ManifestDigest : Image.Reference;
}

public sealed record SociContextReady(SociContext Context) : ISociMessage;

/// <summary>No usable SOCI index: the image is deferred to containerd. Cached for the daemon's lifetime.</summary>
public sealed record SociContextFailed(string ContextKey, string Reason) : ISociMessage;
