using System.Globalization;
using Containerd.Services.Leases.V1;
using Grpc.Core;

namespace Soci.Actors.Containerd;

/// <summary>
/// A containerd lease: content and snapshots created under it survive garbage collection until it is deleted (at
/// disposal), by then something else (an image record's gc.ref chain) must hold them. It also expires on its own,
/// so a client killed mid-pull leaves nothing behind for longer than <see cref="DefaultExpiry"/>.
/// </summary>
public sealed class ContainerdLease : IAsyncDisposable
{
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(24);
    private readonly ContainerdConnection _connection;

    private ContainerdLease(ContainerdConnection connection, string id)
    {
        _connection = connection;
        Id = id;
    }

    public string Id { get; }

    public static async Task<ContainerdLease> CreateAsync(ContainerdConnection connection, string purpose, TimeSpan? expiry = null,
        CancellationToken cancellationToken = default)
    {
        var id = $"{purpose}-{Guid.NewGuid():N}";
        var expires = DateTimeOffset.UtcNow + (expiry ?? DefaultExpiry);
        var request = new CreateRequest { Id = id };
        request.Labels.Add(ContainerdLabels.GcExpire, expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        try
        {
            await connection.Leases.CreateAsync(request, connection.Call(null, cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ContainerdException.From(error, "create lease", connection.SocketPath);
        }

        return new ContainerdLease(connection, id);
    }

    /// <summary>Call options that put the call's resources under this lease.</summary>
    public CallOptions Call(CancellationToken cancellationToken) => _connection.Call(Id, cancellationToken);

    /// <summary>Deletes the lease; unreferenced resources it held become garbage.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.Leases.DeleteAsync(new DeleteRequest { Id = Id }, _connection.Call(null, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            // Already gone (expired): nothing to release.
        }
    }
}
