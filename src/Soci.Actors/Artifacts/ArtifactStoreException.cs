namespace Soci.Actors.Artifacts;

/// <summary>The content store or artifacts database could not do what was asked; the message says what and why.</summary>
public sealed class ArtifactStoreException : Exception
{
    public ArtifactStoreException(string message)
        : base(message)
    {
    }

    public ArtifactStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
