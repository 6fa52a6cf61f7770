using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Soci.Layers.Tests.Support;

/// <summary>Puts one blob into a registry repository with the two-step upload of the distribution API.</summary>
public static class BlobUpload
{
    public static async Task<string> PushAsync(HttpClient client, string repository, string path)
    {
        string digest;
        await using (var hashed = File.OpenRead(path))
        {
            digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(hashed));
        }
        using var start = await client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
        var separator = target.Query.Length > 0 ? "&" : "?";
        await using var body = File.OpenRead(path);
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await client.PutAsync(new Uri(target + separator + "digest=" + Uri.EscapeDataString(digest)), content);
        put.EnsureSuccessStatusCode();
        return digest;
    }
}
