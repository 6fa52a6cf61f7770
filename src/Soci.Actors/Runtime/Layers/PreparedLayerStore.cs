using Microsoft.Extensions.Logging;
using Soci.Actors.Layers;
using Soci.Actors.Layers.Persistence;
using Soci.Actors.Registry;
using Soci.Formats.Toc;

namespace Soci.Actors.Runtime.Layers;

/// <summary>
/// Prepared layers stored under <c>&lt;root&gt;/layers/sha256/&lt;ztoc hex&gt;</c> (one file per ztoc, see
/// <see cref="PreparedLayerFile"/>), so a layer is prepared from its ztoc once and a restarted daemon reads it back.
/// The files are derived data: one that cannot be read is prepared again and replaced, and one that cannot be
/// written costs the next start the preparation, never the mount.
/// </summary>
public sealed class PreparedLayerStore(string directory, ILogger logger)
{
    public string Directory { get; } = directory;

    public string PathOf(string ztocDigest) => Path.Combine(Directory, "sha256", ContentDigest.Hex(ztocDigest));

    /// <summary>The stored preparation of <paramref name="ztocDigest"/>, or one made from the ztoc <paramref name="loadZtoc"/> gives and then stored.</summary>
    public async Task<PreparedLayer> GetOrPrepareAsync(string ztocDigest, Func<CancellationToken, Task<Ztoc>> loadZtoc, CancellationToken cancellationToken)
    {
        var path = PathOf(ztocDigest);
        if (File.Exists(path))
        {
            try
            {
                return PreparedLayerFile.Read(path, ztocDigest);
            }
            catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("preparing ztoc {Ztoc} again: {Problem}", ztocDigest, error.Message);
            }
        }

        var prepared = PreparedLayer.FromZtoc(await loadZtoc(cancellationToken).ConfigureAwait(false));
        try
        {
            PreparedLayerFile.Write(path, ztocDigest, prepared);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("could not store the prepared layer of ztoc {Ztoc}: {Problem}", ztocDigest, error.Message);
        }
        return prepared;
    }
}
