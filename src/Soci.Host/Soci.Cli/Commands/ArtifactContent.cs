using Soci.Actors.Artifacts;
using Soci.Actors.Containerd;
using Soci.Actors.Conversion.Content;

namespace Soci.Cli.Commands;

/// <summary>The content store <c>--content-store</c> selects, as the image content that push and convert work on.</summary>
internal static class ArtifactContent
{
    /// <param name="lease">containerd lease new blobs are written under (ignored by the soci store).</param>
    public static IImageContent Of(LocalArtifacts artifacts, ContainerdLease? lease = null) => artifacts.Store switch
    {
        SociContentStore soci => new OciLayoutContent(soci.Directory),
        _ => new ContainerdImageContent(new ContainerdContentStore(artifacts.Containerd, lease)),
    };
}
