namespace Soci.Actors.Registry.Transport;

/// <summary>URLs as errors show them: every query value replaced by "redacted" (pre-signed URLs carry secrets there).</summary>
public static class RedactedUrl
{
    public static string Of(Uri? url)
    {
        if (url is null)
        {
            return "<no url>";
        }

        if (url.Query.Length <= 1)
        {
            return url.GetLeftPart(UriPartial.Path);
        }

        var pairs = url.Query[1..].Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return (equals < 0 ? pair : pair[..equals]) + "=redacted";
        });
        return url.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', pairs);
    }
}
