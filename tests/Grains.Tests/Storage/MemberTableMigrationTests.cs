using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>A database whose membership rows were written by an earlier layout of the table keeps them, and they load by shard.</summary>
public sealed class MemberTableMigrationTests : IAsyncLifetime
{
    private readonly TempSqliteDatabase _database = new("migration");

    private string ConnectionString => _database.ConnectionString;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _database.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rows_of_the_table_keyed_without_the_shard_are_kept_and_load_by_shard()
    {
        await SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        // Back to the layout before migration 4, with two rows in it, as a database written by an earlier build holds them.
        var uid = Guid.NewGuid();
        await ExecuteAsync($"""
            DROP TABLE cg_members;
            CREATE TABLE cg_members (store TEXT NOT NULL, segment TEXT NOT NULL, customer_id TEXT NOT NULL, segment_uid TEXT NOT NULL,
                shard INTEGER NOT NULL, entered_at INTEGER NOT NULL, cause TEXT NOT NULL, PRIMARY KEY (store, segment_uid, customer_id)) WITHOUT ROWID;
            CREATE INDEX ix_cg_members_shard ON cg_members (store, segment_uid, shard);
            CREATE INDEX ix_cg_members_segment ON cg_members (store, segment);
            INSERT INTO cg_members VALUES ('s', 'vip', 'ann', '{uid:N}', 3, 638000000000000000, 'event:e1');
            INSERT INTO cg_members VALUES ('s', 'vip', 'bob', '{uid:N}', 5, 638000000000000001, 'event:e2');
            DELETE FROM schema_migrations WHERE version IN (4, 5);
            """);

        // Migration 4, and 5 after it (which adds its columns to the table 4 rebuilt); the later ones concern other tables.
        Assert.Equal(2, await SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        var database = new StoreDatabase(DatabaseKind.Sqlite, ConnectionString);
        var rows = new MemberRowReader(database);
        var ann = Assert.Single(await rows.LoadShardAsync("s", uid, 3));
        Assert.Equal(("ann", true, "event:e1", 638000000000000000L), (ann.CustomerId, ann.IsMember, ann.Cause, ann.At.UtcTicks));
        Assert.Equal(["bob"], (await rows.LoadShardAsync("s", uid, 5)).Select(m => m.CustomerId));
        Assert.Empty(await rows.LoadShardAsync("s", uid, 4));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_cg_members_shard'"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_cg_members_segment'"));
    }

    [Fact]
    public async Task Rows_written_before_decisions_were_stored_stay_members_with_no_decision_known()
    {
        await SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        // Back to the layout of migration 4 (no decision, leaves deleted), with two members in it.
        var uid = Guid.NewGuid();
        await ExecuteAsync($"""
            DROP TABLE cg_members;
            CREATE TABLE cg_members (store TEXT NOT NULL, segment TEXT NOT NULL, customer_id TEXT NOT NULL, segment_uid TEXT NOT NULL,
                shard INTEGER NOT NULL, entered_at INTEGER NOT NULL, cause TEXT NOT NULL, PRIMARY KEY (store, segment_uid, shard, customer_id)) WITHOUT ROWID;
            CREATE INDEX ix_cg_members_segment ON cg_members (store, segment);
            INSERT INTO cg_members VALUES ('s', 'vip', 'ann', '{uid:N}', 3, 638000000000000000, 'event:e1');
            INSERT INTO cg_members VALUES ('s', 'vip', 'bob', '{uid:N}', 3, 638000000000000001, 'event:e2');
            DELETE FROM schema_migrations WHERE version = 5;
            """);

        // Migration 5 (the later ones concern other tables).
        Assert.Equal(1, await SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        var rows = await new MemberRowReader(new StoreDatabase(DatabaseKind.Sqlite, ConnectionString)).LoadShardAsync("s", uid, 3);
        Assert.Equal(
            [("ann", true, "event:e1", 638000000000000000L, 0L), ("bob", true, "event:e2", 638000000000000001L, 0L)],
            rows.Select(r => (r.CustomerId, r.IsMember, r.Cause, r.At.UtcTicks, r.Decision)).OrderBy(r => r.CustomerId, StringComparer.Ordinal).ToArray());
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM cg_members WHERE is_member"));
    }

    private Task ExecuteAsync(string sql) => _database.ExecuteAsync(sql);

    private Task<long> ScalarAsync(string sql) => _database.ScalarAsync(sql);
}
