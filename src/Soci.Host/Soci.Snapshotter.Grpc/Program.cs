using System.CommandLine;
using Soci.Host;
using Soci.Snapshotter.Grpc;

var root = new RootCommand("soci-snapshotter-grpc: containerd remote snapshotter that lazily loads SOCI-indexed images");
DaemonOptions.AddTo(root);
VersionLineAction.Install(root, "soci-snapshotter-grpc");
root.SetAction(async (parsed, cancellation) =>
{
    try
    {
        var daemon = new SnapshotterDaemon(
            ListenAddress.Parse(parsed.GetValue(DaemonOptions.Address)!),
            parsed.GetValue(DaemonOptions.Root)!,
            LogLevels.Parse(parsed.GetValue(DaemonOptions.LogLevel)!),
            DaemonConfiguration.Load(parsed.GetValue(DaemonOptions.Config)));
        await daemon.RunAsync(cancellation);
        return 0;
    }
    catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"soci-snapshotter-grpc: {error.Message}");
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();
