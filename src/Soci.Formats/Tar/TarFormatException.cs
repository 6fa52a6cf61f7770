using Soci.Formats.Toc;

namespace Soci.Formats.Tar;

/// <summary>The tar stream is malformed, truncated or uses a feature the TOC builder does not support.</summary>
public sealed class TarFormatException(string message) : ZtocFormatException(message);
