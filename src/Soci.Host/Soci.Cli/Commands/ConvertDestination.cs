using Soci.Actors.Registry;

namespace Soci.Cli.Commands;

/// <summary>The destination rule of <c>soci convert</c> (cli.md §3.1): a tagged reference without a digest.</summary>
internal static class ConvertDestination
{
    public static ImageReference Parse(string text)
    {
        if (text.Length == 0)
        {
            throw Invalid(text, "reference cannot be empty");
        }

        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(text);
        }
        catch (FormatException error)
        {
            throw Invalid(text, $"could not parse reference: {error.Message}");
        }

        // The parser defaults a missing tag to "latest"; upstream wants it spelled out.
        var name = text.Split('@')[0];
        if (name.LastIndexOf(':') <= name.LastIndexOf('/'))
        {
            throw Invalid(text, "reference must be tagged");
        }

        return reference.Digest is null ? reference : throw Invalid(text, "reference must not contain a digest");
    }

    private static ArgumentException Invalid(string text, string reason) =>
        new($"the destination image must be a tagged ref of the form \"registry/repository:tag\": {reason}");
}
