using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The database behind the engine's own tables. SQLite takes one writer at a time: every writer in the
/// process (journal batches and grain snapshots) passes <see cref="WriteGate"/>, so none ever meets
/// SQLITE_BUSY (which Microsoft.Data.Sqlite answers by sleeping 150 ms).
/// </summary>
public sealed class StoreDatabase(DatabaseKind kind, string connectionString)
{
    public DatabaseKind Kind { get; } = kind;

    public string ConnectionString { get; } = connectionString;

    /// <summary>Held around every write on SQLite; never contended on PostgreSQL.</summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Kind == DatabaseKind.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
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
        parameter.ParameterName = name;
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
