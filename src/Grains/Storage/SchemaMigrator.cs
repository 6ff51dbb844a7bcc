using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Applies the project's numbered SQL scripts (embedded under <c>migrations/{Sqlite|PostgreSql}/</c>) that
/// a database lacks, each in its own transaction, recording them in <c>schema_migrations</c>.
/// Idempotent, and safe when several processes start at once: PostgreSQL serialises on an advisory
/// lock, SQLite on its write lock (<c>BEGIN IMMEDIATE</c>).
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x43_47_53_43_48_45_4D_41; // "CGSCHEMA"

    public static async Task<int> ApplyAsync(DatabaseKind kind, string connectionString, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var scripts = Scripts(kind);
        await using var connection = kind == DatabaseKind.Sqlite
            ? (DbConnection)new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        if (kind == DatabaseKind.Sqlite)
        {
            // Write-ahead logging: readers never block the writer. Persistent, and must be set outside a transaction.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", ct);
        }

        var applied = 0;
        foreach (var (version, name, sql) in scripts)
        {
            await using var transaction = kind == DatabaseKind.Sqlite
                ? await BeginImmediateAsync((SqliteConnection)connection, ct)
                : await connection.BeginTransactionAsync(ct);
            if (kind == DatabaseKind.PostgreSql)
            {
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey});", ct);
            }

            await ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);", ct);
            if (await IsAppliedAsync(connection, transaction, version, ct))
            {
                await transaction.RollbackAsync(ct);
                continue;
            }

            await ExecuteAsync(connection, transaction, sql, ct);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at);";
                AddParameter(record, "version", version);
                AddParameter(record, "name", name);
                AddParameter(record, "at", time.GetUtcNow().ToString("O"));
                await record.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            applied++;
            logger.LogInformation("Applied schema migration {Version} ({Name})", version, name);
        }

        return applied;
    }

    /// <summary>The embedded scripts for a database kind, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(DatabaseKind kind)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"migrations/{kind}/";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: n[prefix.Length..^4], Resource: n))
            .Select(x => (Version: int.Parse(x.Name[..x.Name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), x.Name, Sql: Read(assembly, x.Resource)))
            .OrderBy(x => x.Version)];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Task<DbTransaction> BeginImmediateAsync(SqliteConnection connection, CancellationToken ct)
    {
        // Deferred transactions upgrade to a write lock lazily and can fail with SQLITE_BUSY mid-way;
        // IMMEDIATE takes the write lock up front (waiting up to the busy timeout).
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<DbTransaction>(connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false));
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = @version;";
        AddParameter(command, "version", version);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
