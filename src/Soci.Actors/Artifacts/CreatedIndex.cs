using Soci.Actors.Artifacts.Images;
using Soci.Formats.Index;

namespace Soci.Actors.Artifacts;

/// <summary>A SOCI index <c>soci create</c> built and stored for one platform of an image.</summary>
public sealed record CreatedIndex(PlatformImage Image, SociIndexBuildResult Index);
