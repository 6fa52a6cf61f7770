namespace Soci.Actors.Push;

/// <summary>A push failed; the message is upstream's (<c>error pushing graph to remote: …</c> and the like).</summary>
public sealed class SociPushException : Exception
{
    public SociPushException()
    {
    }

    public SociPushException(string message) : base(message)
    {
    }

    public SociPushException(string message, Exception inner) : base(message, inner)
    {
    }
}
