using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Segments;

[Collection(ClusterCollection.Name)]
public sealed class SegmentMembershipTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task A_second_order_moves_the_customer_in_and_a_refund_moves_it_out()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("repeat", "orders >= 2 and revenue > 100");

        await store.RecordAsync(Order("o1", "ann", Now.AddHours(-2), 80));
        Assert.Equal(0, await store.CountAsync("repeat"));

        await store.RecordAsync(Order("o2", "ann", Now.AddHours(-1), 60));
        Assert.Equal(1, await store.CountAsync("repeat"));
        var member = (await store.MemberAsync("repeat", "ann")).Member;
        Assert.NotNull(member);
        Assert.Equal("event:o2", member.Cause);
        Assert.Equal(Now, member.EnteredAt);

        await store.RecordAsync(Refund("r1", "ann", Now, amount: 50));
        Assert.Equal(0, await store.CountAsync("repeat"));
        Assert.Null((await store.MemberAsync("repeat", "ann")).Member);
        var view = await store.ViewAsync("ann");
        Assert.Equal(90, view!.Traits.Revenue);
        Assert.Empty(TestStore.Own(view.Segments));
    }

    [Fact]
    public async Task Counts_and_member_pages_are_exact_after_thousands_of_events()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 3");
        await store.CreateSegmentAsync("big", "revenue > 250");
        await store.CreateSegmentAsync("browsers", "count(visit, 30d) >= 5 and orders == 0");

        var random = new Random(20261124);
        var customers = Enumerable.Range(0, 300).Select(i => $"c{i:D3}").ToArray();
        var events = new List<Grains.Behaviour.CustomerEvent>();
        for (var i = 0; i < 3000; i++)
        {
            var customer = customers[random.Next(customers.Length)];
            var at = Now.AddMinutes(-random.Next(1, 60 * 24 * 20));
            events.Add(random.Next(4) == 0
                ? Order($"e{i}", customer, at, random.Next(1, 120))
                : Visit($"e{i}", customer, at));
        }

        foreach (var batch in events.Chunk(250))
        {
            var result = await store.RecordAsync(batch);
            Assert.Equal(batch.Length, result.Accepted);
        }

        // The expected sets, computed straight from the generated events.
        var byCustomer = events.GroupBy(e => e.CustomerId).ToDictionary(g => g.Key, g => g.ToList());
        var orders = byCustomer.ToDictionary(p => p.Key, p => p.Value.Count(e => e.Type == "order_completed"));
        var revenue = byCustomer.ToDictionary(p => p.Key, p => p.Value.Sum(e => e.Property("revenue").AsNumber() ?? 0));
        var visits = byCustomer.ToDictionary(p => p.Key, p => p.Value.Count(e => e.Type == "visit"));
        var expected = new Dictionary<string, string[]>
        {
            ["buyers"] = [.. orders.Where(p => p.Value >= 3).Select(p => p.Key).Order(StringComparer.Ordinal)],
            ["big"] = [.. revenue.Where(p => p.Value > 250).Select(p => p.Key).Order(StringComparer.Ordinal)],
            ["browsers"] = [.. visits.Where(p => p.Value >= 5 && orders[p.Key] == 0).Select(p => p.Key).Order(StringComparer.Ordinal)],
        };

        foreach (var (segment, members) in expected)
        {
            Assert.NotEmpty(members);
            Assert.Equal(members.Length, await store.CountAsync(segment));
            Assert.Equal(members, TestStore.Ids(await store.AllMembersAsync(segment, pageSize: 37)));
        }
    }

    [Fact]
    public async Task A_segment_created_after_its_customers_is_backfilled()
    {
        var store = new TestStore(cluster);
        for (var i = 0; i < 120; i++)
        {
            await store.RecordAsync(Identify($"id{i}", $"p{i}", Now, ("country", i % 3 == 0 ? "ES" : "FR")));
        }

        var created = await store.CreateSegmentAsync("spain", """profile.country in ["ES", "MX"]""");
        var info = await store.WaitForBackfillAsync("spain");

        Assert.Equal(40, await store.CountAsync("spain"));
        Assert.Equal(120, info.Backfill.Evaluated);
        Assert.Equal(120, info.Backfill.Total);
        var member = (await store.MemberAsync("spain", "p0")).Member!;
        Assert.Equal($"segment:spain:v{created.Definition.Version}", member.Cause);
    }

    [Fact]
    public async Task Editing_a_rule_backfills_the_new_version()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("spenders", "revenue >= 100");
        await store.RecordAsync(Order("a1", "a", Now, 50), Order("b1", "b", Now, 150), Order("c1", "c", Now, 500));
        Assert.Equal(["b", "c"], TestStore.Ids(await store.AllMembersAsync("spenders")));

        var updated = await store.UpdateSegmentAsync("spenders", "revenue >= 40 and revenue < 200");

        Assert.Equal(2, updated.Definition.Version);
        Assert.Equal(["a", "b"], TestStore.Ids(await store.AllMembersAsync("spenders")));
        Assert.Equal(2, await store.CountAsync("spenders"));
    }

    [Fact]
    public async Task An_edit_switches_at_once_the_count_is_exact_for_the_old_version_until_then()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("spenders", "revenue >= 100");
        await store.RecordAsync([.. Enumerable.Range(0, 600).Select(i => Order($"o{i}", $"c{i:D3}", Now, i))]);
        Assert.Equal(500, await store.CountAsync("spenders"));

        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id);
        var edit = await catalog.UpdateAsync(new SegmentDraft("spenders", "spenders", null, "revenue >= 450"));
        Assert.Equal(CatalogOutcome.Ok, edit.Outcome);
        Assert.Equal(1, edit.Segment!.Definition.Version);
        Assert.Equal(2, edit.Segment.Pending!.Version);

        // Watch the count while the new version is backfilled: the old version's exact count, then the new one's.
        var seen = new List<long>();
        while (true)
        {
            seen.Add(await store.CountAsync("spenders"));
            if ((await catalog.GetAsync("spenders"))!.Backfill.Complete)
            {
                break;
            }
        }

        seen.Add(await store.CountAsync("spenders"));
        Assert.All(seen, count => Assert.True(count is 500 or 150, $"saw {count}"));
        Assert.Equal(150, seen[^1]);
        var info = await catalog.GetAsync("spenders");
        Assert.Equal(2, info!.Definition.Version);
        Assert.Null(info.Pending);
        Assert.Equal(Enumerable.Range(450, 150).Select(i => $"c{i:D3}").ToArray(), TestStore.Ids(await store.AllMembersAsync("spenders")));
        Assert.Equal(["spenders"], TestStore.Own((await store.ViewAsync("c500"))!.Segments));
        Assert.Empty(TestStore.Own((await store.ViewAsync("c200"))!.Segments));
    }

    [Fact]
    public async Task A_deleted_and_recreated_segment_starts_from_its_new_rule_only()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("vip", "revenue >= 100");
        await store.RecordAsync(Order("x1", "x", Now, 150), Order("y1", "y", Now, 10));
        Assert.Equal(1, await store.CountAsync("vip"));

        Assert.Equal(CatalogOutcome.Ok, await store.DeleteSegmentAsync("vip"));
        Assert.False((await store.MemberAsync("vip", "x")).SegmentExists);

        var recreated = await store.CreateSegmentAsync("vip", "revenue < 100");
        Assert.Equal(2, recreated.Definition.Version);
        Assert.Equal(["y"], TestStore.Ids(await store.AllMembersAsync("vip")));
        Assert.Equal(["vip"], TestStore.Own((await store.ViewAsync("y"))!.Segments));
        Assert.Empty(TestStore.Own((await store.ViewAsync("x"))!.Segments));
    }

    [Fact]
    public async Task A_window_rule_drops_a_customer_once_time_has_moved_past_the_window()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("recent", "count(visit, 7d) >= 1");
        await store.RecordAsync(Visit("v1", "w", Now));
        Assert.Equal(1, await store.CountAsync("recent"));

        cluster.Time.Advance(TimeSpan.FromDays(8));
        await store.RecordAsync(Order("o1", "w", Now, 10));

        Assert.Equal(0, await store.CountAsync("recent"));
    }

    [Fact]
    public async Task An_erased_customer_leaves_every_segment_and_is_gone()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("all", "events >= 1");
        await store.RecordAsync(Visit("v1", "gone", Now), Visit("v2", "stays", Now));
        Assert.Equal(2, await store.CountAsync("all"));

        Assert.True(await store.EraseAsync("gone"));

        Assert.Equal(["stays"], TestStore.Ids(await store.AllMembersAsync("all")));
        Assert.Null(await store.ViewAsync("gone"));
        Assert.False(await store.EraseAsync("gone"));
    }

    [Fact]
    public async Task Events_for_an_erased_customer_are_refused_and_reported_until_the_suppression_is_lifted()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("browsers", "orders == 0");
        await store.RecordAsync(Visit("v1", "ann", Now.AddHours(-3)));
        Assert.True(await store.EraseAsync("ann"));

        // A late retry of an old event and a new one: both refused, by id, beside a customer whose event is applied.
        var refused = await store.RecordAsync(Visit("v1", "ann", Now.AddHours(-3)), Visit("v2", "ann", Now.AddHours(-2)), Visit("b1", "bob", Now));
        Assert.Equal(1, refused.Accepted);
        Assert.Equal(0, refused.Duplicates);
        Assert.Equal(["v1", "v2"], refused.SuppressedIds.Order());
        Assert.Null(await store.ViewAsync("ann"));
        Assert.Equal(["bob"], TestStore.Ids(await store.AllMembersAsync("browsers")));
        Assert.False(await store.EraseAsync("ann"));

        // The suppression is durable: a new activation replays the erasure's tombstone.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(["v3"], (await store.RecordAsync(Visit("v3", "ann", Now.AddHours(-1)))).SuppressedIds.ToArray());
        Assert.Null(await store.ViewAsync("ann"));

        Assert.True(await store.LiftSuppressionAsync("ann"));
        Assert.False(await store.LiftSuppressionAsync("ann"));
        Assert.False(await store.LiftSuppressionAsync("never-seen"));
        Assert.Null(await store.ViewAsync("ann"));
    }

    [Fact]
    public async Task An_erased_customer_whose_suppression_is_lifted_joins_its_segments_again()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("browsers", "orders == 0");
        await store.RecordAsync(Visit("v1", "ann", Now.AddHours(-2)));
        Assert.True(await store.EraseAsync("ann"));
        Assert.Equal(0, await store.CountAsync("browsers"));
        Assert.True(await store.LiftSuppressionAsync("ann"));

        // The lift is durable too: a new activation does not bring the suppression back.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // The shards remember the erasure's leave as ann's last decision; her new decisions come after it.
        var result = await store.RecordAsync(Visit("v2", "ann", Now.AddHours(-1)));
        Assert.Equal(1, result.Accepted);
        Assert.Empty(result.SuppressedIds);
        Assert.Equal(1, await store.CountAsync("browsers"));
        Assert.Equal("event:v2", (await store.MemberAsync("browsers", "ann")).Member?.Cause);
        Assert.Equal(1, (await store.ViewAsync("ann"))!.Traits.Events);
    }

    [Fact]
    public async Task A_late_delivery_of_an_older_decision_does_not_undo_a_newer_one()
    {
        var store = new TestStore(cluster);
        var (browsers, join) = await JoinedThenLeftAsync(store);

        // What an activation of ann that had read her journal before the order sends when it flushes its replay: the
        // join. It arrives now, as from a silo frozen while it activated her and thawed after the cluster moved her on.
        await DeliverAsync(store, browsers, join);

        Assert.Equal(0, await store.CountAsync("browsers"));
        Assert.Null((await store.MemberAsync("browsers", "ann")).Member);
    }

    [Fact]
    public async Task A_late_join_is_refused_by_a_shard_reloaded_from_its_rows()
    {
        var store = new TestStore(cluster);
        var (browsers, join) = await JoinedThenLeftAsync(store);

        // Every activation goes, the shard among them: it comes back from its stored rows alone, and only then
        // does the old activation's join arrive.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await DeliverAsync(store, browsers, join);

        Assert.Equal(0, await store.CountAsync("browsers"));
        Assert.Null((await store.MemberAsync("browsers", "ann")).Member);
        Assert.Empty(await store.AllMembersAsync("browsers"));
    }

    [Fact]
    public async Task A_new_activation_numbers_its_decisions_after_the_last_one()
    {
        var store = new TestStore(cluster);
        var small = await store.CreateSegmentAsync("small", "revenue < 50");
        await store.RecordAsync(Visit("v1", "ann", Now.AddHours(-3)));
        await store.RecordAsync(Order("o1", "ann", Now.AddHours(-2), 80));
        var leave = await JournaledChangeAsync(store, "ann", "small", isMember: false);
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // A new activation of ann (from her snapshot) decides that she is back in; then the old activation's leave
        // arrives late. It must not take her out again.
        await store.RecordAsync(Refund("r1", "ann", Now.AddHours(-1), amount: 50, orderId: "o1"));
        Assert.Equal(1, await store.CountAsync("small"));
        await DeliverAsync(store, small, leave);

        Assert.Equal(1, await store.CountAsync("small"));
        Assert.Equal("event:r1", (await store.MemberAsync("small", "ann")).Member?.Cause);
    }

    /// <summary>Ann joins "browsers" with a visit and leaves it with an order; returns the segment and her journaled join.</summary>
    private async Task<(SegmentInfo Browsers, MemberRow Join)> JoinedThenLeftAsync(TestStore store)
    {
        var browsers = await store.CreateSegmentAsync("browsers", "orders == 0");
        await store.RecordAsync(Visit("v1", "ann", Now.AddHours(-2)));
        await store.RecordAsync(Order("o1", "ann", Now.AddHours(-1), 30));
        Assert.Equal(0, await store.CountAsync("browsers"));
        return (browsers, await JournaledChangeAsync(store, "ann", "browsers", isMember: true));
    }

    /// <summary>The customer's one join or leave of a segment as its journal holds it: what a replay would send.</summary>
    private static async Task<MemberRow> JournaledChangeAsync(TestStore store, string customer, string segment, bool isMember)
    {
        var journal = new JournalTailReader(new StoreDatabase(DatabaseKind.Sqlite, ClusterFixture.ConnectionString));
        return (await journal.ReadTailAsync(store.Id, customer, 0))
            .SelectMany(e => TestSerialization.Serializer.Deserialize<JournalEntry>(e.Payload)!.Members)
            .Single(r => r.SegmentId == segment && r.Change.IsMember == isMember);
    }

    /// <summary>Delivers a change to its shard as a customer activation does.</summary>
    private Task DeliverAsync(TestStore store, SegmentInfo segment, MemberRow row) =>
        SegmentShards.Grain(cluster.Grains, store.Id, segment.Definition, row.Shard).ApplyAsync([row.Change]);
}
