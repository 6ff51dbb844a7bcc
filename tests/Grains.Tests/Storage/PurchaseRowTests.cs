using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>
/// The purchase index after schema migration 9: rows written before it keep their days and have no orders, rows written
/// since have orders and no days, and every reader (the silo's copy, a fit, the reconcile) reads both.
/// </summary>
public sealed class PurchaseRowTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempSqliteDatabase _database = new("purchase-rows");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _database.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rows_written_before_the_orders_were_kept_are_read_as_days_and_rows_written_since_as_orders()
    {
        await MigrateAsync();

        // Back to the table before migration 9, with a row of days in it, as an earlier build wrote it.
        var oldDays = PurchaseDayCodec.Encode([new PurchaseDay(Day(Jan1), 30), new PurchaseDay(Day(Jan1) + 3, 5)]);
        await _database.ExecuteAsync($"""
            ALTER TABLE cg_purchases DROP COLUMN order_list;
            DELETE FROM schema_migrations WHERE version = 9;
            INSERT INTO cg_purchases (store, customer_id, days, orders, revenue, changed) VALUES ('s', 'old', X'{Convert.ToHexString(oldDays)}', 3, 35, 1);
            """);
        Assert.Equal(1, await MigrateAsync());

        var database = new StoreDatabase(DatabaseKind.Sqlite, _database.ConnectionString);
        var committer = new SqliteJournalCommitter(database);
        var orders = PurchaseSummaries.Orders([(Jan1.AddHours(9), 10), (Jan1.AddHours(20), 2.5), (Jan1.AddDays(2).AddMinutes(1), 7)]);
        await committer.CommitAsync([new JournalWrite("s", "new", null, Purchases: PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(orders), 3, 19.5))], 0);
        var rows = new PurchaseRowReader(database);
        var index = new PurchaseIndex(rows);

        var (old, @new) = await index.ReadAsync("s", buyers => (buyers["old"].Purchases, buyers["new"].Purchases));
        Assert.Null(old.Orders);
        Assert.Equal([new PurchaseDay(Day(Jan1), 30), new PurchaseDay(Day(Jan1) + 3, 5)], old.Days);
        Assert.Equal(orders, @new.Orders);
        Assert.Equal([new PurchaseDay(Day(Jan1), 12.5), new PurchaseDay(Day(Jan1) + 2, 7)], @new.Days);
        Assert.Equal(0L, await _database.ScalarAsync("SELECT length(days) FROM cg_purchases WHERE customer_id = 'new'"));

        // A fit reads both; the reconcile's read gives each row as stored.
        var fitted = await ModelFitting.ReadAsync(rows, "s", Jan1.AddDays(10), ModelTimeUnit.Day);
        Assert.Equal([(1, 2.0), (1, 3.0)], fitted.Select(f => (f.Summary.X, f.Summary.Tx)).Order());
        Assert.Null((await rows.ReadAsync("s", "old"))!.OrderList);
        Assert.Equal(orders, PurchaseOrderCodec.Decode((await rows.ReadAsync("s", "new"))!.OrderList));

        // The old row's customer writes it again (its next commit): orders now, and the copy reads them.
        var rewritten = PurchaseSummaries.Orders([(Jan1.AddHours(1), 20), (Jan1.AddHours(2), 10), (Jan1.AddDays(3), 5)]);
        await committer.CommitAsync([new JournalWrite("s", "old", null, Purchases: PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(rewritten), 3, 35))], 0);
        var again = await index.ReadAsync("s", buyers => buyers["old"].Purchases);
        Assert.Equal(rewritten, again.Orders);
        Assert.Equal(old.Days, again.Days);
    }

    private Task<int> MigrateAsync() =>
        SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, _database.ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    private static int Day(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);
}
