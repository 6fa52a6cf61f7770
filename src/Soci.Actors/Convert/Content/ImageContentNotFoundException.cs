namespace Soci.Actors.Conversion.Content;

/// <summary>A blob the operation needs is not in the local store (e.g. a platform that was not pulled).</summary>
public sealed class ImageContentNotFoundException : Exception
{
    public ImageContentNotFoundException()
    {
    }

    public ImageContentNotFoundException(string message) : base(message)
    {
    }

    public ImageContentNotFoundException(string message, Exception inner) : base(message, inner)
    {
    }
}
