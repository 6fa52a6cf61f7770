using Containerd.Services.Snapshots.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Soci.Actors.Snapshotter.Mounts;
using Soci.Actors.Snapshotter.Remote;
using ProtoMount = Containerd.Types.Mount;

namespace Soci.Actors.Snapshotter;

/// <summary>
/// containerd's Snapshots v1 gRPC service (what a <c>[proxy_plugins]</c> snapshotter serves) over
/// <see cref="OverlaySnapshotter"/>. Failures reach containerd as the gRPC codes its errdefs package maps back to
/// NotFound, AlreadyExists, FailedPrecondition, InvalidArgument and Unavailable.
/// </summary>
public sealed class SnapshotsService(OverlaySnapshotter snapshotter, ILogger<SnapshotsService> log) : Snapshots.SnapshotsBase
{
    /// <summary>containerd's proxy client sends the caller's namespace in this metadata key.</summary>
    public const string NamespaceHeader = "containerd-namespace";

    // Infos per List reply message: far below the 16 MiB message limit even with 4 KiB labels.
    private const int ListBatch = 100;

    public override Task<PrepareSnapshotResponse> Prepare(PrepareSnapshotRequest request, ServerCallContext context) =>
        Handle("prepare", request.Key, async () =>
        {
            var mounts = await snapshotter.PrepareAsync(request.Key, request.Parent, request.Labels, Namespace(context, request.Key), context.CancellationToken);
            return new PrepareSnapshotResponse { Mounts = { mounts.Select(ToProto) } };
        });

    public override Task<ViewSnapshotResponse> View(ViewSnapshotRequest request, ServerCallContext context) =>
        Handle("view", request.Key, async () =>
        {
            var mounts = await snapshotter.ViewAsync(request.Key, request.Parent, request.Labels, context.CancellationToken);
            return new ViewSnapshotResponse { Mounts = { mounts.Select(ToProto) } };
        });

    public override Task<MountsResponse> Mounts(MountsRequest request, ServerCallContext context) =>
        Handle("mounts", request.Key, async () =>
        {
            var mounts = await snapshotter.MountsAsync(request.Key, context.CancellationToken);
            return new MountsResponse { Mounts = { mounts.Select(ToProto) } };
        });

    public override Task<Empty> Commit(CommitSnapshotRequest request, ServerCallContext context) =>
        Handle("commit", request.Key, async () =>
        {
            await snapshotter.CommitAsync(request.Name, request.Key, request.Labels, context.CancellationToken);
            return new Empty();
        });

    public override Task<Empty> Remove(RemoveSnapshotRequest request, ServerCallContext context) =>
        Handle("remove", request.Key, async () =>
        {
            await snapshotter.RemoveAsync(request.Key, context.CancellationToken);
            return new Empty();
        });

    public override Task<StatSnapshotResponse> Stat(StatSnapshotRequest request, ServerCallContext context) =>
        Handle("stat", request.Key, () => Task.FromResult(new StatSnapshotResponse { Info = ToProto(snapshotter.Stat(request.Key)) }));

    public override Task<UpdateSnapshotResponse> Update(UpdateSnapshotRequest request, ServerCallContext context) =>
        Handle("update", request.Info?.Name ?? "", () =>
        {
            if (request.Info is null)
            {
                throw SnapshotException.InvalidArgument("update request carries no snapshot info");
            }

            var paths = request.UpdateMask?.Paths.ToList() ?? [];
            var updated = snapshotter.Update(request.Info.Name, request.Info.Labels, paths);
            return Task.FromResult(new UpdateSnapshotResponse { Info = ToProto(updated) });
        });

    public override Task List(ListSnapshotsRequest request, IServerStreamWriter<ListSnapshotsResponse> responseStream, ServerCallContext context) =>
        Handle("list", string.Join(" | ", request.Filters), async () =>
        {
            foreach (var batch in snapshotter.List(request.Filters).Chunk(ListBatch))
            {
                await responseStream.WriteAsync(new ListSnapshotsResponse { Info = { batch.Select(ToProto) } }, context.CancellationToken);
            }

            return true;
        });

    public override Task<UsageResponse> Usage(UsageRequest request, ServerCallContext context) =>
        Handle("usage", request.Key, () =>
        {
            var usage = snapshotter.Usage(request.Key);
            return Task.FromResult(new UsageResponse { Size = usage.Size, Inodes = usage.Inodes });
        });

    public override Task<Empty> Cleanup(CleanupRequest request, ServerCallContext context) =>
        Handle("cleanup", "", async () =>
        {
            await snapshotter.CleanupAsync(context.CancellationToken);
            return new Empty();
        });

    private async Task<T> Handle<T>(string operation, string subject, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (SnapshotException error)
        {
            // AlreadyExists is also the answer to a successful remote Prepare, so it is not worth more than debug.
            log.Log(error.Code == SnapshotErrorCode.AlreadyExists ? LogLevel.Debug : LogLevel.Information,
                "{Operation} {Subject}: {Code}: {Message}", operation, subject, error.Code, error.Message);
            throw new RpcException(new Status(ToStatusCode(error.Code), error.Message));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or RemoteMountException)
        {
            log.LogError(error, "{Operation} {Subject} failed", operation, subject);
            throw new RpcException(new Status(StatusCode.Internal, $"{operation} {subject}: {error.Message}"));
        }
    }

    private static StatusCode ToStatusCode(SnapshotErrorCode code) => code switch
    {
        SnapshotErrorCode.NotFound => StatusCode.NotFound,
        SnapshotErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        SnapshotErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        SnapshotErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        SnapshotErrorCode.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// The containerd namespace of a call: its header when containerd forwards one (1.7+, or CRI in process); else the
    /// first segment of the key, because containerd 1.6 does not forward an external client's namespace to proxy
    /// snapshotters but always names backend keys <c>&lt;namespace&gt;/&lt;id&gt;/&lt;name&gt;</c>.
    /// </summary>
    private static string? Namespace(ServerCallContext context, string key)
    {
        if (context.RequestHeaders.GetValue(NamespaceHeader) is { Length: > 0 } header)
        {
            return header;
        }

        var parts = key.Split('/', 3);
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0 && parts[1].All(char.IsAsciiDigit) ? parts[0] : null;
    }

    private static ProtoMount ToProto(SnapshotMount mount) =>
        new() { Type = mount.Type, Source = mount.Source, Options = { mount.Options } };

    private static Info ToProto(SnapshotInfo snapshot) => new()
    {
        Name = snapshot.Name,
        Parent = snapshot.Parent,
        Kind = snapshot.Kind switch
        {
            SnapshotKind.View => Kind.View,
            SnapshotKind.Active => Kind.Active,
            _ => Kind.Committed,
        },
        CreatedAt = Timestamp.FromDateTime(snapshot.Created),
        UpdatedAt = Timestamp.FromDateTime(snapshot.Updated),
        Labels = { snapshot.Labels.ToDictionary() },
    };
}
