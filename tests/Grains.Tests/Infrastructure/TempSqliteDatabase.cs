using Microsoft.Data.Sqlite;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>A SQLite file of a test's own, removed (with its WAL files) when the test is done; SQL run straight on it.</summary>
internal sealed class TempSqliteDatabase(string name)
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cg-{name}-{Guid.NewGuid():N}.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ConnectionString;

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Delete()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
