using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The database behind the engine's own tables. SQLite takes one writer at a time: every writer in the
/// process (journal batches and grain snapshots) passes <see cref="WriteGate"/>, so none ever meets
/// SQLITE_BUSY (which Microsoft.Data.Sqlite answers by sleeping 150 ms).
/// </summary>
public sealed class StoreDatabase(DatabaseKind kind, string connectionString) : IDisposable
{
    private readonly Lazy<PreparedReads> _reads = new(() => new PreparedReads(connectionString));

    public DatabaseKind Kind { get; } = kind;

    public string ConnectionString { get; } = connectionString;

    /// <summary>Held around every write on SQLite; never contended on PostgreSQL.</summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    // The journal's batches leave in one write: PostgreSQL runs a batch's statements as they arrive, so a silo
    // frozen halfway through sending one would hold the row locks of what already ran for as long as it stays
    // frozen (and block the customers' new activations elsewhere). Its own pool, so only it pays for the buffer.
    private readonly Lazy<string> _batchConnectionString = new(() => kind == DatabaseKind.Sqlite
        ? connectionString
        : new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = 4 * 1024 * 1024 }.ConnectionString);

    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(ConnectionString, ct);

    /// <summary>A connection for the journal's group commits (see <see cref="_batchConnectionString"/>).</summary>
    public async Task<DbConnection> OpenForBatchesAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(_batchConnectionString.Value, ct);
        if (Kind == DatabaseKind.Sqlite)
        {
            // Every commit updates index pages all over the journal, member and deadline tables; with SQLite's
            // default 2 MiB page cache it re-read most of them from the file each time (measured: 2 GB of reads
            // per 100k events, a third of them with this cache). Kept by the pooled connection between batches.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -32768;";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        return connection;
    }

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        DbConnection connection = Kind == DatabaseKind.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// One read: on SQLite through a connection kept open with the statement prepared (<see cref="PreparedReads"/>),
    /// on PostgreSQL through a pooled connection. <paramref name="parameters"/> are named as in <paramref name="sql"/> and
    /// always given in the same order for the same text.
    /// </summary>
    public async Task<T> QueryAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, Task<T>> read)
    {
        if (Kind == DatabaseKind.Sqlite)
        {
            return await _reads.Value.RunAsync(sql, parameters, read);
        }

        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Parameter(command, name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        return await read(reader);
    }

    public void Dispose()
    {
        if (_reads.IsValueCreated)
        {
            _reads.Value.Dispose();
        }
    }

    public async Task<IDisposable> EnterWriteAsync()
    {
        if (Kind != DatabaseKind.Sqlite)
        {
            return NoGate.Instance;
        }

        await WriteGate.WaitAsync();
        return new Gate(WriteGate);
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();

        // Named as in the SQL (@name): Microsoft.Data.Sqlite binds a bare name by trying every prefix in turn,
        // building a string and its UTF-8 bytes for each, on every execution — measured as the journal
        // commit's largest source of garbage.
        parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private sealed class Gate(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }
}
