using System.CommandLine;
using Soci.Actors.Containerd;
using Soci.Actors.Pull;
using Soci.Actors.Registry;
using Soci.Actors.Registry.Auth;
using Soci.Actors.Registry.Hosts;
using Soci.Actors.Registry.Oci;

namespace Soci.Cli.Commands;

/// <summary>
/// <c>soci image rpull [--soci-index-digest D] [--platform P] [--user U:P] [--plain-http] IMAGE</c>: pulls an image
/// into containerd (at the global <c>--address</c> and <c>--namespace</c>) for the soci snapshotter, so layers with a
/// ztoc stay remote and are loaded lazily; other layers are downloaded and unpacked.
/// </summary>
public static class ImageRpullCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "image reference, e.g. registry.example:5000/app:1.0" };
        var indexDigest = new Option<string?>("--soci-index-digest") { Description = "SOCI index to use instead of discovering one" };
        var platform = new Option<string?>("--platform", "-p") { Description = "platform to pull from a multi-platform image (default: this host's)" };
        var user = new Option<string?>("--user", "-u") { Description = "registry credentials as user:password (default: docker config)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "talk to the registry over HTTP instead of HTTPS" };
        var snapshotter = new Option<string>("--snapshotter")
        {
            Description = "containerd snapshotter to pull into",
            DefaultValueFactory = _ => "soci",
        };

        var command = new Command("rpull", "pull an image for lazy loading by the soci snapshotter") { image, indexDigest, platform, user, plainHttp, snapshotter };
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var reference = ParseReference(parseResult.GetValue(image)!);
            var options = new ImagePullOptions
            {
                Platform = parseResult.GetValue(platform) is { } text ? OciPlatform.Parse(text) : OciPlatform.Host,
                SociIndexDigest = parseResult.GetValue(indexDigest) is { Length: > 0 } digest ? ContentDigest.Parse(digest) : null,
                Snapshotter = parseResult.GetValue(snapshotter)!,
            };
            // --timeout bounds the whole pull, as for every other command.
            using var deadline = CliSession.Deadline(parseResult, cancellationToken);
            using var registry = new RegistryClient(RegistryOptions(reference, parseResult.GetValue(user), parseResult.GetValue(plainHttp)));
            using var containerd = ContainerdConnection.Open(parseResult.GetValue(GlobalOptions.Address)!, parseResult.GetValue(GlobalOptions.Namespace)!);
            var output = parseResult.InvocationConfiguration.Output;
            var display = Console.IsOutputRedirected ? null : new PullProgressDisplay(output);
            var result = await new ImagePuller(containerd, registry).PullAsync(reference.ToString(), options, display, deadline.Token).ConfigureAwait(false);
            display?.Finish();
            await WriteSummaryAsync(output, result).ConfigureAwait(false);
        }));
        return command;
    }

    private static ImageReference ParseReference(string text)
    {
        try
        {
            return ImageReference.Parse(text);
        }
        catch (FormatException error)
        {
            throw new ImagePullException($"invalid image reference \"{text}\": {error.Message}", error);
        }
    }

    private static RegistryClientOptions RegistryOptions(ImageReference reference, string? user, bool plainHttp)
    {
        ICredentialProvider credentials = user is { Length: > 0 }
            ? new StaticCredentialProvider(reference.Domain, RegistryCredentials.ParseUserFlag(user))
            : new DockerConfigCredentialProvider(DockerConfigCredentialProvider.DefaultPath());
        var hosts = new RegistryHostsConfiguration();
        if (plainHttp)
        {
            hosts.WithPlainHttp(reference.Domain, true);
        }

        return new RegistryClientOptions { Credentials = credentials, Hosts = hosts };
    }

    private static async Task WriteSummaryAsync(TextWriter output, ImagePullResult result)
    {
        foreach (var layer in result.Layers)
        {
            var outcome = layer.Outcome switch
            {
                LayerPullOutcome.Remote => "remote (lazily loaded)",
                LayerPullOutcome.AlreadyPresent => "already present",
                _ => $"downloaded and unpacked ({PullProgressDisplay.Bytes(layer.Size)})",
            };
            await output.WriteLineAsync($"layer {layer.Digest}: {outcome}").ConfigureAwait(false);
        }

        var remote = result.Layers.Count(layer => layer.Outcome == LayerPullOutcome.Remote);
        await output.WriteLineAsync(
            $"pulled {result.ImageName} ({result.TargetDigest}): {remote} of {result.Layers.Count} layers remote, {PullProgressDisplay.Bytes(result.BytesDownloaded)} downloaded")
            .ConfigureAwait(false);
    }
}
