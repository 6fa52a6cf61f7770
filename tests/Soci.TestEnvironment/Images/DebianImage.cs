using Soci.TestEnvironment.Processes;

namespace Soci.TestEnvironment.Images;

/// <summary>
/// The real test image: Debian bookworm with python3 and a large library set in three gzip layers, built by
/// scripts/images/build-debian-image.sh from Debian's packages and cached on disk by its recipe.
/// </summary>
public static class DebianImage
{
    public const string Tag = "demo";
    public const string ReadyLine = "SOCI-DEMO READY";
    private static readonly SemaphoreSlim BuildOnce = new(1, 1);
    private static string? _layout;

    /// <summary>The OCI layout directory, built on first use (minutes) and reused afterwards.</summary>
    public static async Task<string> LayoutAsync()
    {
        await BuildOnce.WaitAsync();
        try
        {
            if (_layout is null)
            {
                var build = await CommandRunner.RunAsync(
                    RepositoryPaths.Script("images/build-debian-image.sh"), [], TimeSpan.FromMinutes(30));
                _layout = build.EnsureSuccess().StandardOutput.Trim();
            }

            return _layout;
        }
        finally
        {
            BuildOnce.Release();
        }
    }
}
