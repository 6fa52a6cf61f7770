using System.Text.Json;
using Soci.TestEnvironment;
using Soci.TestEnvironment.Images;

namespace Soci.Demo;

/// <summary>
/// Publishes the Debian image the way a SOCI user does: push the image, pull it into containerd, build its SOCI
/// indexes with our CLI (`soci convert` for a v2 image, `soci create` + `soci push` for a v1 index) and push them.
/// Every image is removed from containerd afterwards so measured runs start from an empty node.
/// </summary>
public static class ImagePublisher
{
    public static async Task<PublishedImage> PublishAsync(LoopbackNode stack, string layout, Action<string> step)
    {
        var plain = await ImagePusher.PushAsync(layout, DebianImage.Tag, stack.Registry, "debian", "demo");
        var converted = stack.Registry.Reference("debian", "demo-soci");
        step($"pushed {plain}");

        await stack.CtrAsync("images", "pull", "--plain-http", plain);
        Print(await SociAsync(stack, "convert", plain, converted));
        await stack.CtrAsync("images", "push", "--plain-http", converted);
        step($"soci convert: pushed the SOCI-enabled image {converted}");
        Print(await SociAsync(stack, "create", plain));
        Print(await SociAsync(stack, "push", "--plain-http", plain));
        step($"soci create + soci push: pushed a v1 SOCI index for {plain}");

        await stack.CtrAsync("images", "remove", "--sync", plain, converted);
        return new PublishedImage(plain, converted, CompressedSize(layout));
    }

    private static async Task<string> SociAsync(LoopbackNode stack, params string[] arguments) =>
        (await stack.SociAsync(arguments)).EnsureSuccess().StandardOutput;

    private static void Print(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Console.WriteLine($"         {line}");
        }
    }

    private static long CompressedSize(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", manifestDigest["sha256:".Length..])));
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Sum(layer => layer.GetProperty("size").GetInt64());
    }
}
