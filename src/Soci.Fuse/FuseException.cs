namespace Soci.Fuse;

/// <summary>A FUSE mount or session could not be set up or torn down; the message says which step failed.</summary>
public sealed class FuseException : Exception
{
    public FuseException(string message)
        : base(message)
    {
    }

    public FuseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
