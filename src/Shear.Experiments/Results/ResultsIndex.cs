using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shear.Experiments.Runs;

namespace Shear.Experiments.Results;

/// <summary>Which runs a query returns; a null field matches every run.</summary>
public sealed record RunFilter
{
    /// <summary>Two target sparsities closer than this are the same target (0.5 from YAML vs 0.5 from a sum).</summary>
    public const double SparsityTolerance = 1e-9;

    /// <summary>Zoo key.</summary>
    public string? Model { get; init; }

    /// <summary>Method key (<c>dense</c> for training runs).</summary>
    public string? Method { get; init; }

    /// <summary>Target (requested) sparsity, compared within <see cref="SparsityTolerance"/>.</summary>
    public double? Sparsity { get; init; }

    /// <summary>Seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Experiment name (empty for ad-hoc runs).</summary>
    public string? Experiment { get; init; }
}

/// <summary>
/// The SQLite index <c>results.db</c> of a results folder: one row per run folder (keyed by its path relative to the
/// folder, so the index survives moving the folder) with the scalar <see cref="ResultRecord"/> fields as columns
/// and the whole record as JSON. The run folders stay the truth; the index is rebuilt from them by
/// <see cref="Refresh"/> and can be deleted at any time.
/// </summary>
public sealed class ResultsIndex
{
    /// <summary>Name of the index file inside the results folder.</summary>
    public const string FileName = "results.db";

    /// <summary>Table layout version (<c>PRAGMA user_version</c>); an index of another version is rebuilt.</summary>
    public const int SchemaVersion = 7;

    private static readonly JsonSerializerOptions _compact = new(RunResult.JsonOptions) { WriteIndented = false };

    private static readonly (string Name, string Type, Func<ResultRecord, object?> Value)[] _columns =
    [
        ("id", "TEXT NOT NULL", r => r.Id), ("experiment", "TEXT NOT NULL", r => r.Experiment),
        ("command", "TEXT NOT NULL", r => r.Command), ("model", "TEXT NOT NULL", r => r.Model),
        ("data", "TEXT NOT NULL", r => r.Data), ("method", "TEXT NOT NULL", r => r.Method),
        // REAL columns are nullable: SQLite stores NaN ("not measured") as NULL.
        ("target_sparsity", "REAL", r => r.TargetSparsity), ("sparsity", "REAL", r => r.Sparsity),
        ("seed", "INTEGER NOT NULL", r => r.Seed), ("top1", "REAL", r => r.Top1), ("top5", "REAL", r => r.Top5),
        ("macs_dense", "INTEGER NOT NULL", r => r.MacsDense), ("macs_effective", "INTEGER NOT NULL", r => r.MacsEffective),
        ("parameters", "INTEGER NOT NULL", r => r.Parameters),
        ("nonzero_parameters", "INTEGER NOT NULL", r => r.NonZeroParameters),
        ("bytes", "INTEGER NOT NULL", r => r.Bytes), ("epochs", "INTEGER NOT NULL", r => r.Epochs),
        ("seconds", "REAL", r => r.Seconds),
    ];

    private ResultsIndex(string root)
    {
        Root = root;
        DatabasePath = Path.Combine(root, FileName);
    }

    /// <summary>The results folder (absolute).</summary>
    public string Root { get; }

    /// <summary>The index file.</summary>
    public string DatabasePath { get; }

    /// <summary>Number of indexed runs.</summary>
    public int Count
    {
        get
        {
            using var connection = Connect(DatabasePath, SqliteOpenMode.ReadOnly);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM runs";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Brings <c>results.db</c> in <paramref name="root"/> up to date with <see cref="ResultFiles.Scan"/>: upserts
    /// every run by its path and deletes the rows of folders that no longer hold a <c>result.json</c>. The update is
    /// made on a private copy (<c>results.db.tmp-&lt;pid&gt;-…</c>) that then replaces the index by one rename, so
    /// readers never see a half-written index and shards refreshing one folder at once each leave a complete one.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist; nothing is created.</exception>
    /// <exception cref="InvalidDataException">A result file is malformed; the message names it.</exception>
    public static ResultsIndex Refresh(string root)
    {
        var records = ResultFiles.Scan(root);
        var index = new ResultsIndex(Path.GetFullPath(root));
        string temp = $"{index.DatabasePath}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var connection = OpenWorkingCopy(index.DatabasePath, temp))
            using (var transaction = connection.BeginTransaction())
            {
                var paths = index.Upsert(connection, transaction, records);
                DeleteMissing(connection, transaction, paths);
                transaction.Commit();
            }
            File.Move(temp, index.DatabasePath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
            File.Delete(temp + "-journal");
        }
        return index;
    }

    /// <summary>The runs matching <paramref name="filter"/>, ordered by path; each record's <c>Path</c> is absolute.</summary>
    public IReadOnlyList<ResultRecord> List(RunFilter filter)
    {
        using var connection = Connect(DatabasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        var clauses = new List<string>();
        void Match(string clause, string name, object? value)
        {
            if (value is not null)
            {
                clauses.Add(clause);
                command.Parameters.AddWithValue(name, value);
            }
        }
        Match("model = @model", "@model", filter.Model);
        Match("method = @method", "@method", filter.Method);
        Match("abs(target_sparsity - @sparsity) <= " + RunFilter.SparsityTolerance.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "@sparsity", filter.Sparsity);
        Match("seed = @seed", "@seed", filter.Seed);
        Match("experiment = @experiment", "@experiment", filter.Experiment);
        string where = clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
        command.CommandText = $"SELECT path, record FROM runs{where} ORDER BY path";
        return Read(command);
    }

    /// <summary>The run whose id is <paramref name="id"/>, or whose id starts with it, or whose path relative to
    /// <see cref="Root"/> is it.</summary>
    /// <exception cref="ArgumentException">No run, or more than one, matches; the message names the id and the
    /// candidates.</exception>
    public ResultRecord Get(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"{Root}: an empty run id matches nothing");
        }
        var exact = Query("id = @key OR path = @key", id);
        var matches = exact.Count > 0 ? exact : Query("substr(id, 1, length(@key)) = @key", id);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"{Root}: no run with id '{id}' ({Count} runs indexed)"),
            _ => throw new ArgumentException($"{Root}: run id '{id}' is ambiguous, it matches "
                + string.Join(", ", matches.Take(5).Select(r => $"{r.Id} ({Path.GetRelativePath(Root, r.Path)})"))
                + (matches.Count > 5 ? $" and {matches.Count - 5} more" : "") + "; give more of the id or the run path"),
        };
    }

    private List<ResultRecord> Query(string where, string key)
    {
        using var connection = Connect(DatabasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT path, record FROM runs WHERE {where} ORDER BY path";
        command.Parameters.AddWithValue("@key", key);
        return Read(command);
    }

    private List<ResultRecord> Read(SqliteCommand command)
    {
        var records = new List<ResultRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var record = JsonSerializer.Deserialize<ResultRecord>(reader.GetString(1), RunResult.JsonOptions)!;
            records.Add(record with { Path = Path.GetFullPath(Path.Combine(Root, reader.GetString(0))) });
        }
        return records;
    }

    private HashSet<string> Upsert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<ResultRecord> records)
    {
        string names = string.Join(", ", _columns.Select(c => c.Name));
        string values = string.Join(", ", _columns.Select(c => "@" + c.Name));
        string updates = string.Join(", ", _columns.Select(c => $"{c.Name} = excluded.{c.Name}"));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO runs (path, {names}, record) VALUES (@path, {values}, @record) "
            + $"ON CONFLICT (path) DO UPDATE SET {updates}, record = excluded.record";
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            string path = Path.GetRelativePath(Root, record.Path).Replace('\\', '/');
            paths.Add(path);
            command.Parameters.Clear();
            command.Parameters.AddWithValue("@path", path);
            foreach (var (name, _, value) in _columns)
            {
                command.Parameters.AddWithValue("@" + name, value(record) ?? DBNull.Value);
            }
            command.Parameters.AddWithValue("@record", JsonSerializer.Serialize(record with { Path = path }, _compact));
            command.ExecuteNonQuery();
        }
        return paths;
    }

    private static void DeleteMissing(SqliteConnection connection, SqliteTransaction transaction, HashSet<string> keep)
    {
        var stale = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT path FROM runs";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                stale.Add(reader.GetString(0));
            }
        }
        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM runs WHERE path = @path";
        foreach (string path in stale.Where(p => !keep.Contains(p)))
        {
            delete.Parameters.Clear();
            delete.Parameters.AddWithValue("@path", path);
            delete.ExecuteNonQuery();
        }
    }

    /// <summary>A private copy of the current index to update, or a fresh one when there is none, it is of
    /// another <see cref="SchemaVersion"/>, or it is not an SQLite file at all.</summary>
    private static SqliteConnection OpenWorkingCopy(string database, string temp)
    {
        if (File.Exists(database))
        {
            // Another shard may replace the index meanwhile: the rename leaves the file we copy intact.
            File.Copy(database, temp, overwrite: true);
            var copy = Connect(temp, SqliteOpenMode.ReadWrite);
            if (IsCurrent(copy))
            {
                return copy;
            }
            copy.Dispose();
            File.Delete(temp);
        }
        var fresh = Connect(temp, SqliteOpenMode.ReadWriteCreate);
        using var create = fresh.CreateCommand();
        create.CommandText = $"CREATE TABLE runs (path TEXT PRIMARY KEY, "
            + string.Join(", ", _columns.Select(c => $"{c.Name} {c.Type}")) + ", record TEXT NOT NULL); "
            + $"CREATE INDEX runs_id ON runs (id); PRAGMA user_version = {SchemaVersion};";
        create.ExecuteNonQuery();
        return fresh;
    }

    private static bool IsCurrent(SqliteConnection connection)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == SchemaVersion;
        }
        catch (SqliteException)
        {
            // "file is not a database": a damaged index is rebuilt from the run folders.
            return false;
        }
    }

    /// <summary>Opens <paramref name="file"/> without pooling: a pooled handle would keep reading the index a
    /// concurrent <see cref="Refresh"/> has since renamed away.</summary>
    private static SqliteConnection Connect(string file, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
