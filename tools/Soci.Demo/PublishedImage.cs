namespace Soci.Demo;

/// <summary>The Debian image in the registry twice: as built (no SOCI index) and converted for lazy loading.</summary>
/// <param name="Plain">The image as built; a v1 SOCI index is also pushed for it, which the daemon does not look
/// for by default (soci_v1 discovery is off), so pulls of it take the local-fallback path.</param>
/// <param name="Converted">The SOCI-enabled image `soci convert` made (index manifest v2, found through the image).</param>
/// <param name="CompressedSize">The sum of the image's layer sizes: what a full pull downloads.</param>
public sealed record PublishedImage(string Plain, string Converted, long CompressedSize);
