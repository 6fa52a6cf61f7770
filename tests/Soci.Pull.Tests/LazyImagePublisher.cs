using Soci.Actors.Artifacts.Images;
using Soci.Actors.Conversion;
using Soci.Actors.Conversion.Content;
using Soci.Actors.Push;
using Soci.Formats.Index;
using Soci.TestEnvironment.Processes;

namespace Soci.Pull.Tests;

/// <summary>
/// Makes a layout image lazily loadable the way `soci convert` does (a v2 SOCI index bound through the image
/// index's manifest annotation) and pushes the converted image to the stack's registry.
/// </summary>
public static class LazyImagePublisher
{
    public static async Task<(string Reference, ConversionResult Conversion)> PushConvertedAsync(
        PullStack stack, string layout, string layoutTag, string repository, SociIndexBuildOptions build)
    {
        // Conversion writes its new blobs next to the image's; a hard-linked copy keeps the cached layout pristine.
        var copy = stack.Directory.Sub($"converted-{repository}");
        Directory.Delete(copy);
        (await CommandRunner.RunAsync("cp", "-al", layout, copy)).EnsureSuccess();

        var content = new OciLayoutContent(copy);
        var source = OciLayoutImageSource.Open(copy, layoutTag);
        var conversion = await new SociImageConverter(content, catalog: null, report: _ => { })
            .ConvertAsync(source.Target, new ConvertOptions { Build = build }, CancellationToken.None);

        using var registry = stack.RegistryClient();
        var target = registry.Repository(stack.Registry.Host, repository);
        await new ContentGraphPusher(content, target, maxConcurrentUploads: 3, observe: (_, _) => { })
            .PushAsync(conversion.Index, (root, bytes, cancellationToken) => target.PushManifestAsync("lazy", root.MediaType, bytes, cancellationToken: cancellationToken), CancellationToken.None);
        return (stack.Registry.Reference(repository, "lazy"), conversion);
    }
}
