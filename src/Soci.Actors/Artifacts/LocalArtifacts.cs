using Containerd.Services.Images.V1;
using Grpc.Core;
using Soci.Actors.Artifacts.Images;
using Soci.Actors.Containerd;

namespace Soci.Actors.Artifacts;

/// <summary>
/// The CLI's view of local SOCI state (cli.md §0): the root directory (created 0700 if missing), the artifacts
/// database in it, the content store <c>--content-store</c> selects and, when needed, a containerd connection.
/// </summary>
public sealed class LocalArtifacts : IDisposable
{
    private readonly string _containerdAddress;
    private readonly string _containerdNamespace;
    private ContainerdConnection? _containerd;

    private LocalArtifacts(string root, string storeKind, string containerdAddress, string containerdNamespace)
    {
        Root = root;
        _containerdAddress = containerdAddress;
        _containerdNamespace = containerdNamespace;
        Store = storeKind switch
        {
            SociContentStore.KindName => new SociContentStore(root),
            ContainerdArtifactContentStore.KindName => new ContainerdArtifactContentStore(Containerd),
            _ => throw new ArtifactStoreException($"unknown content store type: {storeKind}; must be one of [soci containerd]"),
        };
        Database = ArtifactsDatabase.Open(Path.Combine(root, ArtifactsDatabase.FileName));
    }

    public string Root { get; }

    public IArtifactContentStore Store { get; }

    public ArtifactsDatabase Database { get; }

    /// <summary>containerd at <c>--address</c>/<c>--namespace</c>, connected on first use.</summary>
    public ContainerdConnection Containerd => _containerd ??= ContainerdConnection.Open(_containerdAddress, _containerdNamespace);

    public static LocalArtifacts Open(string root, string storeKind, string containerdAddress, string containerdNamespace)
    {
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new LocalArtifacts(root, storeKind, containerdAddress, containerdNamespace);
    }

    /// <summary>
    /// An image available locally: <c>oci:DIR[:TAG]</c> or a layout directory path (<c>DIR[:TAG]</c>), else an image of
    /// that name in the content store (the soci store's layout index, or containerd's image store). Null when none.
    /// </summary>
    public async Task<IImageSource?> TryOpenImageAsync(string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("oci:", StringComparison.Ordinal))
        {
            var (directory, tag) = SplitLayoutReference(reference["oci:".Length..]);
            return OciLayoutImageSource.Open(directory, tag);
        }
        if (Directory.Exists(reference))
        {
            return OciLayoutImageSource.Open(reference, null);
        }
        if (SplitLayoutReference(reference) is (var dir, { } name) && Directory.Exists(dir))
        {
            return OciLayoutImageSource.Open(dir, name);
        }
        return Store switch
        {
            SociContentStore soci => OciLayoutImageSource.Images(soci.Directory).Any(image => image.Name == reference)
                ? OciLayoutImageSource.Open(soci.Directory, reference)
                : null,
            _ => await ContainerdImageSource.TryOpenAsync(Containerd, reference, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Image names known to the content store and the digests of their targets (the IMAGE REF column).</summary>
    public async Task<IReadOnlyList<(string Name, string TargetDigest)>> ImageNamesAsync(CancellationToken cancellationToken)
    {
        if (Store is SociContentStore soci)
        {
            return OciLayoutImageSource.Images(soci.Directory).Select(image => (image.Name, image.Target.Digest)).ToList();
        }
        try
        {
            var reply = await Containerd.Images.ListAsync(new ListImagesRequest(), Containerd.Call(null, cancellationToken)).ConfigureAwait(false);
            return reply.Images.Select(image => (image.Name, image.Target?.Digest ?? "")).ToList();
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, "list images", Containerd.SocketPath);
        }
    }

    public void Dispose()
    {
        Database.Dispose();
        _containerd?.Dispose();
    }

    /// <summary><c>DIR:TAG</c> splits at the last colon after the last slash; no colon means no tag.</summary>
    private static (string Directory, string? Tag) SplitLayoutReference(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > text.LastIndexOf('/') && colon > 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
