using Microsoft.Data.Sqlite;

namespace Soci.Actors.Artifacts;

/// <summary>
/// The artifacts database <c>&lt;root&gt;/artifacts.db</c> (formats §8.2) in SQLite (WAL): which SOCI indexes and
/// ztocs exist locally and what they were built for. Upstream's bbolt file is not shared with Go tools, so the
/// logical schema is kept and the storage engine is ours.
/// </summary>
public sealed class ArtifactsDatabase : IDisposable
{
    public const string FileName = "artifacts.db";

    private const string Columns =
        "digest, size, location, original_digest, image_digest, platform, type, media_type, artifact_type, created_at, span_size";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private ArtifactsDatabase(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating with mode 0600 if missing) the database file at <paramref name="path"/>.</summary>
    public static ArtifactsDatabase Open(string path)
    {
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA busy_timeout = 5000;
                CREATE TABLE IF NOT EXISTS artifacts (
                    digest TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    location TEXT NOT NULL,
                    original_digest TEXT NOT NULL,
                    image_digest TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    type TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    artifact_type TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    span_size INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS artifacts_original ON artifacts(original_digest, type);
                """;
            command.ExecuteNonQuery();
        }
        catch (SqliteException error)
        {
            connection.Dispose();
            throw new ArtifactStoreException($"cannot open artifacts database {path}: {error.Message}", error);
        }
        return new ArtifactsDatabase(connection);
    }

    public ArtifactEntry? Get(string digest) => Query("WHERE digest = $p0", digest).FirstOrDefault();

    /// <summary>Adds the entry or replaces the one with the same digest.</summary>
    public void Put(ArtifactEntry entry)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"INSERT OR REPLACE INTO artifacts ({Columns}) VALUES ($d, $s, $l, $o, $i, $p, $t, $m, $a, $c, $z)";
            command.Parameters.AddWithValue("$d", entry.Digest);
            command.Parameters.AddWithValue("$s", entry.Size);
            command.Parameters.AddWithValue("$l", entry.Location);
            command.Parameters.AddWithValue("$o", entry.OriginalDigest);
            command.Parameters.AddWithValue("$i", entry.ImageDigest);
            command.Parameters.AddWithValue("$p", entry.Platform);
            command.Parameters.AddWithValue("$t", entry.Type);
            command.Parameters.AddWithValue("$m", entry.MediaType);
            command.Parameters.AddWithValue("$a", entry.ArtifactType);
            command.Parameters.AddWithValue("$c", entry.CreatedAt.UtcTicks);
            command.Parameters.AddWithValue("$z", entry.SpanSize);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Removes the entry; false when there was none.</summary>
    public bool Remove(string digest)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM artifacts WHERE digest = $d";
            command.Parameters.AddWithValue("$d", digest);
            return command.ExecuteNonQuery() > 0;
        }
    }

    /// <summary>Every entry (of one type when given), in digest order like upstream's bucket walk.</summary>
    public IReadOnlyList<ArtifactEntry> List(string? type = null) =>
        type is null ? Query("") : Query("WHERE type = $p0", type);

    /// <summary>The ztocs recorded for a layer and span size (formats §8.2 reuse rule).</summary>
    public IReadOnlyList<ArtifactEntry> ZtocsFor(string layerDigest, long spanSize) =>
        Query("WHERE type = $p0 AND original_digest = $p1 AND span_size = $p2", ArtifactEntry.ZtocType, layerDigest, spanSize);

    /// <summary>The indexes built for an image manifest.</summary>
    public IReadOnlyList<ArtifactEntry> IndexesFor(string manifestDigest) =>
        Query("WHERE type = $p0 AND original_digest = $p1", ArtifactEntry.IndexType, manifestDigest);

    public void Dispose() => _connection.Dispose();

    private List<ArtifactEntry> Query(string where, params object[] parameters)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM artifacts {where} ORDER BY digest";
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters.AddWithValue($"$p{i}", parameters[i]);
            }
            using var reader = command.ExecuteReader();
            var entries = new List<ArtifactEntry>();
            while (reader.Read())
            {
                entries.Add(new ArtifactEntry
                {
                    Digest = reader.GetString(0),
                    Size = reader.GetInt64(1),
                    Location = reader.GetString(2),
                    OriginalDigest = reader.GetString(3),
                    ImageDigest = reader.GetString(4),
                    Platform = reader.GetString(5),
                    Type = reader.GetString(6),
                    MediaType = reader.GetString(7),
                    ArtifactType = reader.GetString(8),
                    CreatedAt = new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero),
                    SpanSize = reader.GetInt64(10),
                });
            }
            return entries;
        }
    }
}
