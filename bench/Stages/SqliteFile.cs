using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Stages;

/// <summary>
/// A fresh SQLite database in a temp folder, with the project's schema (<see cref="SchemaMigrator"/>: WAL) and the
/// embedded host's connection string; deleted on dispose.
/// </summary>
public sealed class SqliteFile : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cg-stages-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteFile()
    {
        Directory.CreateDirectory(_folder);

        // As CustomerGrainsOptions builds it for the embedded host.
        ConnectionString = $"Data Source={Path.Combine(_folder, "customergrains.db")};Pooling=True;Default Timeout=30";
        SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        Database = new StoreDatabase(DatabaseKind.Sqlite, ConnectionString);
    }

    public string ConnectionString { get; }

    public StoreDatabase Database { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
