namespace Soci.Actors.Registry;

/// <summary>
/// A registry operation failed. The message names the host, the repository and the digest or tag involved, and
/// never credentials or signed query strings.
/// </summary>
public class RegistryException : Exception
{
    public RegistryException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public RegistryException()
    {
    }

    public RegistryException(string message) : base(message)
    {
    }
}

/// <summary>Content that arrived with the wrong digest or length; it is never handed to the caller.</summary>
public sealed class ContentVerificationException : RegistryException
{
    public ContentVerificationException(string message) : base(message)
    {
    }

    public ContentVerificationException()
    {
    }

    public ContentVerificationException(string message, Exception? inner) : base(message, inner)
    {
    }
}

/// <summary>The registry answered 404 for a manifest, blob or tag.</summary>
public sealed class RegistryNotFoundException : RegistryException
{
    public RegistryNotFoundException(string message) : base(message)
    {
    }

    public RegistryNotFoundException()
    {
    }

    public RegistryNotFoundException(string message, Exception? inner) : base(message, inner)
    {
    }
}

/// <summary>The registry or its token service refused our credentials (or the lack of them).</summary>
public sealed class RegistryAuthenticationException : RegistryException
{
    public RegistryAuthenticationException(string message) : base(message)
    {
    }

    public RegistryAuthenticationException()
    {
    }

    public RegistryAuthenticationException(string message, Exception? inner) : base(message, inner)
    {
    }
}
