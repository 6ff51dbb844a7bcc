using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>The journal keeps the entries that changed memberships for the change feed, and reads them back in commit order.</summary>
public sealed class ChangeRowTests : IAsyncLifetime
{
    private readonly TempSqliteDatabase _database = new("change-rows");

    public Task InitializeAsync() =>
        SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, _database.ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    public Task DisposeAsync()
    {
        _database.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_trim_keeps_entries_with_membership_changes_until_the_feeds_retention_and_the_feed_reads_only_those_in_order()
    {
        var database = new StoreDatabase(DatabaseKind.Sqlite, _database.ConnectionString);
        var committer = new SqliteJournalCommitter(database);
        var join = new StoredMember("vip", Guid.NewGuid(), 1, true, DateTimeOffset.UnixEpoch, "event:e1", 1);
        JournalWrite Entry(string customer, params StoredMember[] members) =>
            new("s", customer, new JournalRecord([1, 2, 3], [.. members]));
        var seqs = await committer.CommitAsync([Entry("a"), Entry("a", join), Entry("b", join with { Decision = 2 }), Entry("c")], 1_000);
        var reader = new ChangeRowReader(database);

        var rows = await reader.ReadAsync("s", new FeedPosition(0, 0), 10);
        Assert.Equal([(seqs[1], "a"), (seqs[2], "b")], rows.Select(r => (r.Position.Seq, r.CustomerId)));
        Assert.Equal([seqs[2]], (await reader.ReadAsync("s", new FeedPosition(0, seqs[2]), 10)).Select(r => r.Position.Seq));
        Assert.Equal(seqs[2], (await reader.LastAsync("s"))!.Position.Seq);

        // Covered by a snapshot and older than the journal's retention, but not the feed's: only the plain entry goes.
        await committer.CommitAsync([new JournalWrite("s", "a", null, TrimThrough: seqs[1], TrimBeforeUnixMs: 2_000, TrimChangesBeforeUnixMs: 500)], 3_000);
        Assert.Equal(3L, await _database.ScalarAsync("SELECT count(*) FROM cg_journal"));
        Assert.Equal(2, (await reader.ReadAsync("s", new FeedPosition(0, 0), 10)).Count);

        // Older than the feed's retention too: gone.
        await committer.CommitAsync([new JournalWrite("s", "a", null, TrimThrough: seqs[1], TrimBeforeUnixMs: 2_000, TrimChangesBeforeUnixMs: 2_000)], 3_000);
        Assert.Equal(["b"], (await reader.ReadAsync("s", new FeedPosition(0, 0), 10)).Select(r => r.CustomerId));
    }
}
