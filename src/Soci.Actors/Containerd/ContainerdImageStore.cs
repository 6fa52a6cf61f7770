using Containerd.Services.Images.V1;
using Containerd.Types;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Soci.Actors.Containerd;

/// <summary>containerd's image records over its gRPC Images API (the roots of garbage collection).</summary>
public sealed class ContainerdImageStore
{
    private readonly ContainerdConnection _connection;
    private readonly string? _leaseId;

    public ContainerdImageStore(ContainerdConnection connection, ContainerdLease? lease = null)
    {
        _connection = connection;
        _leaseId = lease?.Id;
    }

    /// <summary>The image named <paramref name="name"/>, or null when containerd has no such image.</summary>
    public async Task<ContainerdImage?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await _connection.Images.GetAsync(new GetImageRequest { Name = name }, Call(cancellationToken)).ConfigureAwait(false);
            return ToImage(reply.Image);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException error)
        {
            throw Fail(error, $"get image {name}");
        }
    }

    /// <summary>Points <paramref name="name"/> at the target, creating the record or updating the existing one's target and labels.</summary>
    public async Task<ContainerdImage> CreateOrUpdateAsync(string name, string mediaType, string digest, long size,
        IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        var image = new Image { Name = name, Target = new OciDescriptor { MediaType = mediaType, Digest = digest, Size = size } };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            image.Labels[key] = value;
        }

        try
        {
            var created = await _connection.Images.CreateAsync(new CreateImageRequest { Image = image }, Call(cancellationToken)).ConfigureAwait(false);
            return ToImage(created.Image);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
        {
            var mask = new FieldMask { Paths = { "target" } };
            mask.Paths.AddRange(image.Labels.Keys.Select(key => "labels." + key));
            try
            {
                var updated = await _connection.Images.UpdateAsync(new UpdateImageRequest { Image = image, UpdateMask = mask }, Call(cancellationToken))
                    .ConfigureAwait(false);
                return ToImage(updated.Image);
            }
            catch (RpcException updateError)
            {
                throw Fail(updateError, $"update image {name}");
            }
        }
        catch (RpcException error)
        {
            throw Fail(error, $"create image {name}");
        }
    }

    /// <summary>Adds or replaces labels of an existing image (e.g. a gc.ref to a SOCI index), keeping its other labels.</summary>
    public async Task SetLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        var image = new Image { Name = name };
        foreach (var (key, value) in labels)
        {
            image.Labels[key] = value;
        }

        var mask = new FieldMask();
        mask.Paths.AddRange(labels.Keys.Select(key => "labels." + key));
        try
        {
            await _connection.Images.UpdateAsync(new UpdateImageRequest { Image = image, UpdateMask = mask }, Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw Fail(error, $"update labels of image {name}");
        }
    }

    /// <summary>Deletes the image record; with <paramref name="synchronous"/> containerd collects garbage before answering.</summary>
    public async Task DeleteAsync(string name, bool synchronous = true, CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.Images.DeleteAsync(new DeleteImageRequest { Name = name, Sync = synchronous }, Call(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw Fail(error, $"delete image {name}");
        }
    }

    private CallOptions Call(CancellationToken cancellationToken) => _connection.Call(_leaseId, cancellationToken);

    private ContainerdException Fail(RpcException error, string action) => ContainerdException.From(error, action, _connection.SocketPath);

    private static ContainerdImage ToImage(Image image) =>
        new(image.Name, image.Target?.MediaType ?? "", image.Target?.Digest ?? "", image.Target?.Size ?? 0, new Dictionary<string, string>(image.Labels));
}
