using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>Pruning a shard's tombstones removes only old leaves of that shard, never a member.</summary>
public sealed class MemberRowWriterTests : IAsyncLifetime
{
    private readonly TempSqliteDatabase _database = new("member-rows");

    private string ConnectionString => _database.ConnectionString;

    public Task InitializeAsync() => SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    public Task DisposeAsync()
    {
        _database.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pruning_removes_the_shards_tombstones_older_than_the_cutoff_only()
    {
        var uid = Guid.NewGuid();
        await ExecuteAsync($"""
            INSERT INTO cg_members VALUES ('s', 'vip', 'old-leave', '{uid:N}', 3, 100, 'event:e1', 4, 0);
            INSERT INTO cg_members VALUES ('s', 'vip', 'old-member', '{uid:N}', 3, 100, 'event:e2', 2, 1);
            INSERT INTO cg_members VALUES ('s', 'vip', 'new-leave', '{uid:N}', 3, 300, 'event:e3', 7, 0);
            INSERT INTO cg_members VALUES ('s', 'vip', 'other-shard', '{uid:N}', 4, 100, 'event:e4', 3, 0);
            """);
        var database = new StoreDatabase(DatabaseKind.Sqlite, ConnectionString);

        await new MemberRowWriter(database).PruneLeavesAsync("s", uid, 3, new DateTimeOffset(200, TimeSpan.Zero));

        var rows = new MemberRowReader(database);
        Assert.Equal(["new-leave", "old-member"], (await rows.LoadShardAsync("s", uid, 3)).Select(r => r.CustomerId).Order(StringComparer.Ordinal));
        Assert.Equal(["other-shard"], (await rows.LoadShardAsync("s", uid, 4)).Select(r => r.CustomerId));
    }

    private Task ExecuteAsync(string sql) => _database.ExecuteAsync(sql);
}
