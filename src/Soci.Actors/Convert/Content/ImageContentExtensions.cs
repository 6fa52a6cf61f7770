namespace Soci.Actors.Conversion.Content;

public static class ImageContentExtensions
{
    /// <summary>A small blob that must be present.</summary>
    /// <exception cref="ImageContentNotFoundException">The store does not have it.</exception>
    public static async Task<byte[]> ReadAsync(this IImageContent content, string digest, CancellationToken cancellationToken) =>
        await content.TryReadAsync(digest, cancellationToken).ConfigureAwait(false)
        ?? throw new ImageContentNotFoundException($"content {digest}: not found");
}
