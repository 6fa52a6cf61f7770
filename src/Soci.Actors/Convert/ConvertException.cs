namespace Soci.Actors.Conversion;

/// <summary>A conversion could not be done; the message says which image, platform or input was at fault.</summary>
public sealed class ConvertException : Exception
{
    public ConvertException()
    {
    }

    public ConvertException(string message) : base(message)
    {
    }

    public ConvertException(string message, Exception inner) : base(message, inner)
    {
    }
}
