namespace Soci.Actors.Runtime.Contexts;

/// <summary>Finds an image's SOCI index and brings it and its ztocs into the local content store.</summary>
public interface ISociArtifactFetcher
{
    /// <exception cref="SociIndexUnavailableException">No usable index (discovery or fetch failed).</exception>
    Task<SociContext> FetchAsync(ImageSource image, CancellationToken cancellationToken);
}

/// <summary>"no valid SOCI index found": the image is deferred to containerd.</summary>
public sealed class SociIndexUnavailableException : Exception
{
    public SociIndexUnavailableException(string message) : base(message)
    {
    }

    public SociIndexUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }

    public SociIndexUnavailableException()
    {
    }
}
