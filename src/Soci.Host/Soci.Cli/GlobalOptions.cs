using System.CommandLine;

namespace Soci.Cli;

/// <summary>The flags every `soci` command accepts (cli.md §1), shared so sub-commands read the same instances.</summary>
public static class GlobalOptions
{
    public const string DefaultRoot = "/var/lib/soci-snapshotter-grpc/";

    public static readonly Option<string> Address = new("--address", "-a")
    {
        Description = "containerd gRPC address",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CONTAINERD_ADDRESS") ?? "/run/containerd/containerd.sock",
    };

    public static readonly Option<string> Namespace = new("--namespace", "-n")
    {
        Description = "containerd namespace",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CONTAINERD_NAMESPACE") ?? "default",
    };

    public static readonly Option<string?> Timeout = new("--timeout")
    {
        Description = "time limit for the whole command (Go duration syntax, e.g. 30s)",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "enable debug output",
        Recursive = true,
    };

    /// <summary>Validated where a store is opened, with upstream's message ("unknown content store type: …").</summary>
    public static readonly Option<string> ContentStore = new("--content-store")
    {
        Description = "content store for SOCI artifacts: soci or containerd",
        Recursive = true,
        DefaultValueFactory = _ => "containerd",
    };

    public static readonly Option<string> Root = new("--root")
    {
        Description = "root directory of the snapshotter (artifacts database and SOCI content store)",
        Recursive = true,
        DefaultValueFactory = _ => DefaultRoot,
    };

    public static void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Address, Namespace, Timeout, Debug, ContentStore, Root })
        {
            root.Options.Add(option);
        }
    }
}
