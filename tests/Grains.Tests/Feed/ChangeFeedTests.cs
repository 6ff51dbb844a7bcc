using CustomerGrains.Grains.Feed;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Feed;

/// <summary>The change feed holds every durable membership decision once, in each customer's decision order, read back from the journal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChangeFeedTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Applying_the_feed_from_the_start_gives_each_segments_members_and_each_customers_changes_in_decision_order()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.CreateSegmentAsync("big", "revenue >= 100");
        var now = cluster.Time.GetUtcNow();

        // 600 random orders and refunds over 40 customers: joins and leaves of both segments, several per customer.
        var random = new Random(3);
        var events = new List<Behaviour.CustomerEvent>();
        for (var i = 0; i < 600; i++)
        {
            var customer = $"c{random.Next(40):D2}";
            var at = now.AddMinutes(-random.Next(1, 5000));
            events.Add(random.Next(3) == 0 ? Refund($"e{i}", customer, at, null, orderId: $"o{random.Next(300)}") : Order($"e{i}", customer, at, random.Next(5, 80), orderId: $"o{i}"));
        }

        foreach (var batch in events.Chunk(25))
        {
            await store.RecordAsync(batch);
        }

        var feed = cluster.Grains.GetGrain<IChangeFeedGrain>(store.Id);
        var changes = await ReadAllAsync(feed, null, 7);

        foreach (var segment in new[] { "buyers", "big" })
        {
            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes.Where(c => c.Segment == segment))
            {
                // Each change flips the customer's membership: no repeat, no gap.
                Assert.True(change.Entered ? members.Add(change.CustomerId) : members.Remove(change.CustomerId), $"{segment}: {change}");
            }

            var expected = new List<string>();
            foreach (var id in events.Select(e => e.CustomerId).Distinct())
            {
                if (TestStore.Own((await store.ViewAsync(id))!.Segments).Contains(segment))
                {
                    expected.Add(id);
                }
            }

            Assert.Equal(expected.Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        }

        Assert.Equal(changes.Count, changes.Select(c => c.Cursor).Distinct().Count());
        Assert.All(changes, c => Assert.Equal(1L, c.Version));
        Assert.All(changes, c => Assert.StartsWith("event:", c.Cause, StringComparison.Ordinal));

        // From any cursor, the rest and nothing else; one segment's changes alone.
        var middle = changes[changes.Count / 2].Cursor;
        Assert.Equal(changes.Skip((changes.Count / 2) + 1).Select(c => c.Cursor), (await ReadAllAsync(feed, middle, 50)).Select(c => c.Cursor));
        Assert.Equal(changes.Where(c => c.Segment == "big").Select(c => c.Cursor), (await ReadAllAsync(feed, null, 5, "big")).Select(c => c.Cursor));
        var end = await feed.ReadAsync(new ChangeQuery(changes[^1].Cursor, null, 10, TimeSpan.Zero));
        Assert.Empty(end.Items);
        Assert.Equal(changes[^1].Cursor, end.Next);
    }

    [Fact]
    public async Task A_waiting_read_returns_with_the_change_a_commit_brings_and_an_unknown_segment_is_refused()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        var feed = cluster.Grains.GetGrain<IChangeFeedGrain>(store.Id);

        var waiting = feed.ReadAsync(new ChangeQuery(null, "buyers", 10, TimeSpan.FromSeconds(20)));
        await store.RecordAsync(Order("e1", "ann", cluster.Time.GetUtcNow(), 30));
        var page = await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        var change = Assert.Single(page.Items);
        Assert.Equal(("buyers", "ann", true, "event:e1"), (change.Segment, change.CustomerId, change.Entered, change.Cause));
        Assert.Contains("no segment", (await feed.ReadAsync(new ChangeQuery(null, "nope", 10, TimeSpan.Zero))).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cursor_older_than_the_retention_is_refused_with_where_to_follow_on_from()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Order("e1", "ann", cluster.Time.GetUtcNow(), 30));
        var feed = cluster.Grains.GetGrain<IChangeFeedGrain>(store.Id);
        var first = Assert.Single((await feed.ReadAsync(new ChangeQuery(null, "buyers", 10, TimeSpan.Zero))).Items).Cursor;

        cluster.Time.Advance(TimeSpan.FromDays(7.5));
        await store.RecordAsync(Order("e2", "bob", cluster.Time.GetUtcNow(), 30));

        var page = await feed.ReadAsync(new ChangeQuery(first, "buyers", 10, TimeSpan.Zero));
        Assert.True(page.Expired);
        Assert.Empty(page.Items);
        var latest = (await feed.ReadAsync(new ChangeQuery(null, null, 10, TimeSpan.Zero))).Items[^1];
        Assert.Equal("bob", latest.CustomerId);
        Assert.Equal(latest.Cursor, page.Latest);
    }

    [Fact]
    public async Task A_stay_shorter_than_the_segments_minimum_dwell_is_never_told_and_a_longer_one_is_told_once_it_has_lasted()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1 and revenue > 0", minDwell: TimeSpan.FromMinutes(10));
        var feed = cluster.Grains.GetGrain<IChangeFeedGrain>(store.Id);
        async Task<List<(string, bool)>> ToldAsync() =>
            [.. (await ReadAllAsync(feed, null, 10, "buyers")).Select(c => (c.CustomerId, c.Entered))];

        await store.RecordAsync(Order("o1", "ann", cluster.Time.GetUtcNow(), 20, orderId: "A"), Order("o2", "bob", cluster.Time.GetUtcNow(), 30, orderId: "B"));
        Assert.Empty(await ToldAsync());

        // Ann leaves after 5 minutes: her stay is never told; Bob's is, once he has stayed 10 minutes.
        cluster.Time.Advance(TimeSpan.FromMinutes(5));
        await store.RecordAsync(Refund("r1", "ann", cluster.Time.GetUtcNow(), null, orderId: "A"));
        Assert.Empty(await ToldAsync());
        cluster.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal([("bob", true)], await ToldAsync());

        // Cy stays 15 minutes: his entry and his exit are both told.
        await store.RecordAsync(Order("o3", "cy", cluster.Time.GetUtcNow(), 40, orderId: "C"));
        cluster.Time.Advance(TimeSpan.FromMinutes(15));
        await store.RecordAsync(Refund("r3", "cy", cluster.Time.GetUtcNow(), null, orderId: "C"));
        Assert.Equal([("bob", true), ("cy", true), ("cy", false)], await ToldAsync());

        // The membership itself is exact all along.
        Assert.Equal(["bob"], TestStore.Ids(await store.AllMembersAsync("buyers")));
    }

    [Fact]
    public async Task An_erasure_tells_the_feed_who_left_and_the_tombstone_forgets_the_segments_after_the_retention()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        var now = cluster.Time.GetUtcNow();
        await store.RecordAsync(Order("o1", "ann", now.AddHours(-1), 20), Order("o2", "bob", now.AddHours(-1), 20), Order("o3", "cy", now.AddHours(-1), 20));
        Assert.True(await store.EraseAsync("ann"));

        // A consumer applying every change from the start ends with the members: ann's exit is told, with its cause (her
        // entry went with the rest of her journal: a consumer that read it before learns that she left).
        var feed = cluster.Grains.GetGrain<IChangeFeedGrain>(store.Id);
        var changes = (await ReadAllAsync(feed, null, 10, "buyers")).ToList();
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            _ = change.Entered ? members.Add(change.CustomerId) : members.Remove(change.CustomerId);
        }

        Assert.Equal(TestStore.Ids(await store.AllMembersAsync("buyers")).Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        Assert.Equal("erased", Assert.Single(changes, c => !c.Entered).Cause);
        Assert.Equal(1, await JournalRowsAsync(store, "ann", withChanges: true));

        // Once the feed's retention has passed, the erased customer wakes and keeps only its tombstone (no segment named).
        cluster.Time.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await JournalRowsAsync(store, "ann", withChanges: true) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the erased customer's leaves were not dropped after the retention");
            await Task.Delay(10);
        }

        Assert.Equal(1, await JournalRowsAsync(store, "ann", withChanges: false));
        Assert.Equal(["o9"], (await store.RecordAsync(Order("o9", "ann", cluster.Time.GetUtcNow(), 5))).SuppressedIds.ToArray());
    }

    private Task<long> JournalRowsAsync(TestStore store, string customer, bool withChanges) => cluster.ScalarAsync(
        $"SELECT count(*) FROM cg_journal WHERE store = @store AND customer_id = @customer{(withChanges ? " AND changes > 0" : "")}",
        ("@store", store.Id), ("@customer", customer));

    private static async Task<List<FeedChange>> ReadAllAsync(IChangeFeedGrain feed, ChangeCursor? after, int limit, string? segment = null)
    {
        var all = new List<FeedChange>();
        while (true)
        {
            var page = await feed.ReadAsync(new ChangeQuery(after, segment, limit, TimeSpan.Zero));
            Assert.Null(page.Error);
            Assert.True(page.Items.Count <= limit);
            all.AddRange(page.Items);
            if (page.Items.Count == 0)
            {
                return all;
            }

            after = page.Next;
        }
    }
}
