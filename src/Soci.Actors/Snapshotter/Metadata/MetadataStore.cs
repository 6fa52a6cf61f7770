using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Soci.Actors.Snapshotter.Metadata;

/// <summary>
/// The snapshot metastore: one SQLite database (WAL, full sync) holding every snapshot's name, parent, kind, labels,
/// timestamps and committed usage. Each operation is one transaction, and the directory work that must be atomic
/// with it (moving a new snapshot's directory into place) runs inside that transaction, so a crash leaves either
/// both or neither. Ids come from AUTOINCREMENT and name the snapshot directories.
/// </summary>
public sealed class MetadataStore : IDisposable
{
    private const string Columns =
        "s.id, s.name, coalesce(p.name, ''), s.kind, s.created, s.updated, s.labels FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent_id";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private MetadataStore(SqliteConnection connection) => _connection = connection;

    public static MetadataStore Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            CREATE TABLE IF NOT EXISTS snapshots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                parent_id INTEGER REFERENCES snapshots(id),
                kind INTEGER NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                size INTEGER NOT NULL DEFAULT 0,
                inodes INTEGER NOT NULL DEFAULT 0,
                labels TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshots_parent ON snapshots(parent_id);
            """);
        return new MetadataStore(connection);
    }

    public SnapshotInfo? Find(string name)
    {
        lock (_lock)
        {
            return FindIn(null, name);
        }
    }

    public SnapshotInfo Get(string name) =>
        Find(name) ?? throw SnapshotException.NotFound($"snapshot {name} does not exist");

    public IReadOnlyList<SnapshotInfo> List()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} ORDER BY s.id";
            return ReadAll(command);
        }
    }

    /// <summary>The stored usage of a committed snapshot.</summary>
    public SnapshotUsage StoredUsage(long id)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT size, inodes FROM snapshots WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new SnapshotUsage(reader.GetInt64(0), reader.GetInt64(1)) : SnapshotUsage.Zero;
        }
    }

    /// <summary>The ids of <paramref name="name"/>'s ancestors, nearest first.</summary>
    public IReadOnlyList<SnapshotInfo> Ancestors(SnapshotInfo snapshot)
    {
        var chain = new List<SnapshotInfo>();
        for (var parent = snapshot.Parent; parent.Length > 0;)
        {
            var info = Find(parent) ?? throw SnapshotException.NotFound($"parent {parent} of {snapshot.Name} does not exist");
            chain.Add(info);
            parent = info.Parent;
        }

        return chain;
    }

    public HashSet<long> LiveIds()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id FROM snapshots";
            using var reader = command.ExecuteReader();
            var ids = new HashSet<long>();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }
    }

    /// <summary>
    /// Creates an active or view snapshot. <paramref name="placeDirectory"/> gets the new id and must move the
    /// snapshot's prepared directory into place; if it throws, nothing is recorded.
    /// </summary>
    public SnapshotInfo Create(SnapshotKind kind, string name, string parent, IReadOnlyDictionary<string, string> labels,
        Action<long, SnapshotInfo?> placeDirectory)
    {
        if (kind == SnapshotKind.Committed)
        {
            throw SnapshotException.InvalidArgument($"snapshot type {kind} invalid; only snapshots of type Active or View can be created");
        }

        return InTransaction(transaction =>
        {
            SnapshotInfo? parentInfo = null;
            if (parent.Length > 0)
            {
                parentInfo = FindIn(transaction, parent) ?? throw SnapshotException.NotFound($"parent snapshot {parent} does not exist");
                if (parentInfo.Kind != SnapshotKind.Committed)
                {
                    throw SnapshotException.InvalidArgument($"parent {parent} is not a committed snapshot");
                }
            }

            if (FindIn(transaction, name) is not null)
            {
                throw SnapshotException.AlreadyExists($"snapshot {name} already exists");
            }

            var now = DateTime.UtcNow;
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO snapshots (name, parent_id, kind, created, updated, labels)
                VALUES ($name, $parent, $kind, $now, $now, $labels) RETURNING id
                """;
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$parent", parentInfo is null ? DBNull.Value : parentInfo.Id);
            insert.Parameters.AddWithValue("$kind", (int)kind);
            insert.Parameters.AddWithValue("$now", now.Ticks);
            insert.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(labels));
            var id = (long)insert.ExecuteScalar()!;
            placeDirectory(id, parentInfo);
            return new SnapshotInfo(id, name, parent, kind, labels, now, now);
        });
    }

    /// <summary>Turns active snapshot <paramref name="key"/> into committed snapshot <paramref name="name"/> (same id, new labels).</summary>
    public SnapshotInfo Commit(string key, string name, IReadOnlyDictionary<string, string> labels, SnapshotUsage usage) =>
        InTransaction(transaction =>
        {
            if (FindIn(transaction, name) is not null)
            {
                throw SnapshotException.AlreadyExists($"committed snapshot {name} already exists");
            }

            var active = FindIn(transaction, key) ?? throw SnapshotException.NotFound($"active snapshot {key} does not exist");
            if (active.Kind != SnapshotKind.Active)
            {
                throw SnapshotException.FailedPrecondition($"snapshot {key} is not active (it is {active.Kind.ToString().ToLowerInvariant()})");
            }

            var now = DateTime.UtcNow;
            using var update = _connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE snapshots SET name = $name, kind = $kind, created = $now, updated = $now, labels = $labels,
                    size = $size, inodes = $inodes WHERE id = $id
                """;
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$kind", (int)SnapshotKind.Committed);
            update.Parameters.AddWithValue("$now", now.Ticks);
            update.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(labels));
            update.Parameters.AddWithValue("$size", usage.Size);
            update.Parameters.AddWithValue("$inodes", usage.Inodes);
            update.Parameters.AddWithValue("$id", active.Id);
            update.ExecuteNonQuery();
            return active with { Name = name, Kind = SnapshotKind.Committed, Labels = labels, Created = now, Updated = now };
        });

    /// <summary>Deletes the record of <paramref name="key"/>; its directory is the caller's to remove afterwards.</summary>
    public SnapshotInfo Remove(string key) =>
        InTransaction(transaction =>
        {
            var snapshot = FindIn(transaction, key) ?? throw SnapshotException.NotFound($"snapshot {key} does not exist");
            using var children = _connection.CreateCommand();
            children.Transaction = transaction;
            children.CommandText = "SELECT count(*) FROM snapshots WHERE parent_id = $id";
            children.Parameters.AddWithValue("$id", snapshot.Id);
            if ((long)children.ExecuteScalar()! > 0)
            {
                throw SnapshotException.FailedPrecondition($"cannot remove snapshot {key}: it has children");
            }

            using var delete = _connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM snapshots WHERE id = $id";
            delete.Parameters.AddWithValue("$id", snapshot.Id);
            delete.ExecuteNonQuery();
            return snapshot;
        });

    /// <summary>Replaces the labels of <paramref name="name"/> and stamps the update time.</summary>
    public SnapshotInfo SetLabels(string name, Func<SnapshotInfo, IReadOnlyDictionary<string, string>> newLabels) =>
        InTransaction(transaction =>
        {
            var snapshot = FindIn(transaction, name) ?? throw SnapshotException.NotFound($"snapshot {name} does not exist");
            var labels = newLabels(snapshot);
            var now = DateTime.UtcNow;
            using var update = _connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE snapshots SET labels = $labels, updated = $now WHERE id = $id";
            update.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(labels));
            update.Parameters.AddWithValue("$now", now.Ticks);
            update.Parameters.AddWithValue("$id", snapshot.Id);
            update.ExecuteNonQuery();
            return snapshot with { Labels = labels, Updated = now };
        });

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private T InTransaction<T>(Func<SqliteTransaction, T> work)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
    }

    private SnapshotInfo? FindIn(SqliteTransaction? transaction, string name)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} WHERE s.name = $name";
        command.Parameters.AddWithValue("$name", name);
        return ReadAll(command).FirstOrDefault();
    }

    private static List<SnapshotInfo> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var snapshots = new List<SnapshotInfo>();
        while (reader.Read())
        {
            snapshots.Add(new SnapshotInfo(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                (SnapshotKind)reader.GetInt32(3),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                new DateTime(reader.GetInt64(4), DateTimeKind.Utc),
                new DateTime(reader.GetInt64(5), DateTimeKind.Utc)));
        }

        return snapshots;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
