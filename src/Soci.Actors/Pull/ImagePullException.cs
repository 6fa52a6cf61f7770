namespace Soci.Actors.Pull;

/// <summary>A pull cannot go on: bad input (reference, platform, image content) or a step that failed, named in the message.</summary>
public sealed class ImagePullException : Exception
{
    public ImagePullException()
    {
    }

    public ImagePullException(string message) : base(message)
    {
    }

    public ImagePullException(string message, Exception inner) : base(message, inner)
    {
    }
}
