namespace Soci.Formats.Index;

/// <summary>A SOCI index could not be built; the message is what upstream's CLI reports.</summary>
public sealed class SociIndexBuildException : Exception
{
    public SociIndexBuildException(string message)
        : base(message)
    {
    }

    public SociIndexBuildException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
