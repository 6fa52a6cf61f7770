using Soci.Formats.Build;
using Soci.Formats.Toc;

namespace Soci.Formats.Index;

/// <summary>How a SOCI index is built (cli.md §1 build flags).</summary>
public sealed record SociIndexBuildOptions
{
    public const long DefaultMinLayerSize = 10 * 1024 * 1024;

    /// <summary>The only optimization upstream knows (formats §5.4).</summary>
    public const string XattrOptimization = "xattr";

    public long SpanSize { get; init; } = ZtocBuilder.DefaultSpanSize;

    /// <summary>Layers smaller than this get no ztoc; a layer of exactly this size does.</summary>
    public long MinLayerSize { get; init; } = DefaultMinLayerSize;

    public string BuildTool { get; init; } = Ztoc.DefaultBuildTool;

    /// <summary><see cref="SociMediaTypes.IndexV1"/> (with a subject) or <see cref="SociMediaTypes.IndexV2"/>.</summary>
    public string ArtifactType { get; init; } = SociMediaTypes.IndexV1;

    /// <summary>Annotate ztocs of layers without xattrs or opaque whiteouts with <c>disable-xattrs</c>.</summary>
    public bool DisableXattrsWhenUnused { get; init; }

    /// <summary>Reuse a ztoc already recorded for the same layer and span size (upstream's default; <c>--force</c> turns it off).</summary>
    public bool ReuseExistingZtocs { get; init; } = true;

    /// <summary>Layers built at the same time; each build is CPU-bound inflation.</summary>
    public int MaxConcurrentLayers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Rejects values upstream's flag validation rejects.</summary>
    public void Validate()
    {
        if (SpanSize < 0)
        {
            throw new SociIndexBuildException("span size must be >= 0");
        }
        if (MinLayerSize < 0)
        {
            throw new SociIndexBuildException("min layer size must be >= 0");
        }
        if (ArtifactType is not (SociMediaTypes.IndexV1 or SociMediaTypes.IndexV2))
        {
            throw new SociIndexBuildException($"unknown index version: {ArtifactType}");
        }
    }
}
