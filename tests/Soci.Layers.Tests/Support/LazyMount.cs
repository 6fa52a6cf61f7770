using Soci.Actors.Layers;
using Soci.Actors.Layers.Caching;
using Soci.Actors.Layers.FileSystem;
using Soci.Actors.Layers.Spans;
using Soci.Formats.Build;
using Soci.Formats.Toc;
using Soci.Fuse;

namespace Soci.Layers.Tests.Support;

/// <summary>A layer resolved from a blob and mounted over FUSE in a test directory; disposal unmounts and releases it.</summary>
public sealed class LazyMount : IAsyncDisposable
{
    private LazyMount(ResolvedLayer layer, FuseSession session)
    {
        Layer = layer;
        Session = session;
    }

    public ResolvedLayer Layer { get; }

    public FuseSession Session { get; }

    public string MountPoint => Session.MountPoint;

    /// <summary>Builds a ztoc for a local layer file the way <c>soci create</c> would (serialized and parsed back).</summary>
    public static Ztoc BuildZtoc(string layerPath, long spanSize) =>
        ZtocParser.Parse(ZtocSerializer.Serialize(new ZtocBuilder().BuildFromFile(layerPath, spanSize)));

    public static async Task<LazyMount> StartAsync(
        string mountPoint, Ztoc ztoc, ILayerBlob blob, ISpanCache cache, string digest, SpanManagerOptions? spanOptions = null) =>
        await MountAsync(mountPoint, await ResolvedLayer.ResolveAsync(ztoc, blob, cache, new LayerFileSystemOptions { LayerDigest = digest }, spanOptions));

    /// <summary>Mounts a layer from its prepared form (as a restarted daemon does from the stored file).</summary>
    public static async Task<LazyMount> StartAsync(string mountPoint, PreparedLayer prepared, ILayerBlob blob, ISpanCache cache, string digest) =>
        await MountAsync(mountPoint, await ResolvedLayer.ResolveAsync(prepared, blob, cache, new LayerFileSystemOptions { LayerDigest = digest }));

    private static async Task<LazyMount> MountAsync(string mountPoint, ResolvedLayer layer)
    {
        try
        {
            Directory.CreateDirectory(mountPoint);
            var session = FuseSession.Start(mountPoint, layer.FileSystem, new FuseMountOptions
            {
                FsName = "soci",
                Subtype = "rawBridge",
                DefaultPermissions = false,
            });
            return new LazyMount(layer, session);
        }
        catch
        {
            await layer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Session.Dispose();
        }
        finally
        {
            await Layer.DisposeAsync();
        }
    }
}
