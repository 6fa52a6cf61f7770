using System.CommandLine;
using Soci.Actors.Artifacts;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Registry;

namespace Soci.Cli.Commands;

/// <summary>
/// Finds the image a command names: an OCI layout directory (<c>DIR</c>, <c>DIR:TAG</c>, <c>oci:DIR[:TAG]</c>), an
/// image in the content store (containerd's image store, or the soci store's layout), an image in containerd when
/// its socket exists, else a registry reference.
/// </summary>
internal static class ImageLocator
{
    /// <summary>The image, and the registry client serving it when it came from a registry (dispose both).</summary>
    public static async Task<(IImageSource Image, RegistryClient? Registry)> OpenAsync(CliSession session, ParseResult parseResult,
        RegistryFlags registryFlags, string reference)
    {
        if (await session.Artifacts.TryOpenImageAsync(reference, session.Token).ConfigureAwait(false) is { } local)
        {
            return (local, null);
        }

        // The content store only decides where SOCI artifacts go: with the soci store, images pulled into a running
        // containerd are still found there (as upstream, whose commands read images from containerd).
        if (session.Artifacts.Store is SociContentStore && File.Exists(session.Artifacts.Containerd.SocketPath)
            && await ContainerdImageSource.TryOpenAsync(session.Artifacts.Containerd, reference, session.Token).ConfigureAwait(false) is { } pulled)
        {
            return (pulled, null);
        }

        ImageReference parsed;
        try
        {
            parsed = ImageReference.Parse(reference);
        }
        catch (FormatException error)
        {
            throw new ArgumentException(
                $"image \"{reference}\" is not in the {session.Artifacts.Store.Kind} content store, not an OCI layout directory and not a valid registry reference: {error.Message}",
                error);
        }

        var registry = registryFlags.Client(parseResult, parsed);
        try
        {
            return (await RegistryImageSource.OpenAsync(registry, parsed, null, session.Token).ConfigureAwait(false), registry);
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }
}
