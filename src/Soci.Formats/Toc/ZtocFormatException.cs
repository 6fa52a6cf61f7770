namespace Soci.Formats.Toc;

/// <summary>A ztoc, zinfo blob, tar stream or compressed layer is malformed or unsupported.</summary>
public class ZtocFormatException : Exception
{
    public ZtocFormatException(string message) : base(message)
    {
    }

    public ZtocFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
