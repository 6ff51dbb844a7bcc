using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Reconcile;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// Identity merges on the two-silo test cluster: a secondary merged into a primary forwards, the primary holds both
/// histories, memberships change net of the merge, and nothing is lost or counted twice when both receive events meanwhile.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IdentityMergeTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task An_alias_merges_the_anonymous_visitor_into_the_known_customer_who_then_holds_both_histories()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("viewers", "count(product_viewed, 30d) >= 2");
        await store.RecordAsync(Visit("v1", "anon", Now.AddDays(-2)), Viewed("pv1", "anon", Now.AddDays(-2), "shoes"), Viewed("pv2", "anon", Now.AddDays(-1), "bags"));
        await store.RecordAsync(Identify("i1", "ana", Now.AddHours(-2), ("email", "ana@example.com")), Order("o1", "ana", Now.AddHours(-1), 80));

        var aliased = await store.RecordAsync(Alias("a1", "ana", "anon"));

        Assert.Equal((1, 0), (aliased.Accepted, aliased.Duplicates));
        var view = await store.ViewAsync("ana");
        Assert.Equal(["anon"], view!.MergedIds.ToArray());
        Assert.Equal(6, view.Traits.Events);
        Assert.Equal(Now.AddDays(-2), view.Traits.FirstSeenAt);
        Assert.Equal((1, 80.0), (view.Traits.Orders, view.Traits.Revenue));
        Assert.Equal("ana@example.com", view.Profile["email"].Text);

        // The secondary's id answers as the primary in every read a client makes.
        var asAnon = await Customer(store, "anon").GetViewAsync();
        Assert.Equal("ana", asAnon!.CustomerId);
        Assert.Equal(view.Traits with { EventCounts30d = null! }, asAnon.Traits with { EventCounts30d = null! });
        Assert.Equal(["viewers"], Own(await Customer(store, "ana").EvaluateAsync()));
        Assert.Equal(["viewers"], Own(await Customer(store, "anon").EvaluateAsync()));
        Assert.Equal("ana", (await Customer(store, "anon").ExplainAsync("lifecycle-new")).Explanation?.CustomerId);
        Assert.Equal(
            (await Customer(store, "ana").HistoryAsync(new HistoryQuery(null, null, 0, 100)))!.Items.ToArray(),
            (await Customer(store, "anon").HistoryAsync(new HistoryQuery(null, null, 0, 100)))!.Items.ToArray());
        var export = await Customer(store, "anon").ExportAsync();
        Assert.Equal(("ana", 6L), (export!.View.CustomerId, export.View.Traits.Events));

        // Replaying the alias (a client's retry) changes nothing.
        var again = await store.RecordAsync(Alias("a1", "ana", "anon"));
        Assert.Equal((0, 1), (again.Accepted, again.Duplicates));
        Assert.Equal(6, (await store.ViewAsync("ana"))!.Traits.Events);
    }

    [Fact]
    public async Task Memberships_change_net_of_the_merge_and_the_secondary_leaves_everything_with_the_merge_as_cause()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
        await store.CreateSegmentAsync("viewers", "count(product_viewed, 30d) >= 2");
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Visit("v1", "anon", Now.AddDays(-1)), Viewed("pv1", "anon", Now.AddDays(-1), "a"), Viewed("pv2", "anon", Now, "b"));
        await store.RecordAsync(Visit("v2", "ana", Now), Order("o1", "ana", Now, 30));
        Assert.Equal(2, await store.CountAsync("visitors"));
        var anonSegments = (await store.ViewAsync("anon"))!.Segments.Length;

        var merged = await Customer(store, "ana").MergeAsync("anon");

        Assert.Equal(MergeOutcome.Merged, merged.Outcome);
        Assert.Equal(["anon"], merged.MergedIds.ToArray());
        Assert.Equal((1, 1, 1), (await store.CountAsync("visitors"), await store.CountAsync("viewers"), await store.CountAsync("buyers")));
        Assert.Equal(["ana"], TestStore.Ids(await store.AllMembersAsync("visitors")));
        Assert.Equal(["ana"], TestStore.Ids(await store.AllMembersAsync("viewers")));

        // The primary: one entry (viewers, because of the merge), no exit from and re-entry into visitors.
        var history = (await Customer(store, "ana").HistoryAsync(new HistoryQuery(null, null, 0, 100)))!.Items;
        Assert.Equal(["viewers"], history.Where(i => i.Cause == "merged:anon").Select(i => i.Segment));
        Assert.DoesNotContain(history, i => !i.Entered);
        Assert.Single(history, i => i.Segment == "visitors");

        // The secondary left every segment it was in (its lifecycle segment too), and said why.
        Assert.Equal(anonSegments, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM cg_members WHERE store = @store AND customer_id = 'anon' AND is_member = 0 AND cause = 'merged:ana'", ("@store", store.Id)));
        Assert.Equal(0, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM cg_members WHERE store = @store AND customer_id = 'anon' AND is_member = 1", ("@store", store.Id)));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_customers WHERE store = @store AND customer_id = 'anon'", ("@store", store.Id)));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);
    }

    [Fact]
    public async Task Later_events_for_the_secondary_reach_the_primary_and_move_its_segments()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("big", "revenue > 100");
        await store.RecordAsync(Visit("v1", "anon", Now));
        await store.RecordAsync(Order("o1", "ana", Now, 60));
        await Customer(store, "ana").MergeAsync("anon");

        var later = await store.RecordAsync(Order("o2", "anon", Now, 70), Order("o1", "anon", Now, 60));

        Assert.Equal((1, 1), (later.Accepted, later.Duplicates));
        var view = await store.ViewAsync("ana");
        Assert.Equal((2, 130.0), (view!.Traits.Orders, view.Traits.Revenue));
        Assert.Equal(["ana"], TestStore.Ids(await store.AllMembersAsync("big")));
        Assert.Null(await store.MemberAsync("big", "anon") is { Member: { } } ? "anon" : null);
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_purchases WHERE store = @store AND customer_id = 'anon'", ("@store", store.Id)));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_purchases WHERE store = @store AND customer_id = 'ana' AND orders = 2", ("@store", store.Id)));
    }

    [Fact]
    public async Task Events_sent_to_both_ids_while_they_merge_are_neither_lost_nor_counted_twice()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");

        // Several pairs, so that merges run across the cluster's two silos as well as within one.
        var pairs = Enumerable.Range(0, 6).Select(i => (Primary: $"p{i}", Secondary: $"s{i}")).ToArray();
        foreach (var (primary, secondary) in pairs)
        {
            await store.RecordAsync(Visit($"{primary}-0", primary, Now), Visit($"{secondary}-0", secondary, Now));
        }

        var sends = new List<Task<RecordResult>>();
        var merges = new List<Task<MergeResult>>();
        for (var round = 1; round <= 5; round++)
        {
            foreach (var (primary, secondary) in pairs)
            {
                sends.Add(store.RecordAsync(Visit($"{primary}-{round}", primary, Now)));
                sends.Add(store.RecordAsync(Visit($"{secondary}-{round}", secondary, Now), Visit($"{secondary}-{round}", secondary, Now)));
                if (round == 2)
                {
                    merges.Add(Customer(store, primary).MergeAsync(secondary));
                }
            }
        }

        var results = await Task.WhenAll(sends);
        Assert.All(await Task.WhenAll(merges), m => Assert.Equal(MergeOutcome.Merged, m.Outcome));
        Assert.Equal(pairs.Length * 5 * 2, results.Sum(r => r.Accepted));

        // Sent again, every one of them is a duplicate, whichever id it names.
        var again = await store.RecordAsync([.. pairs.SelectMany(p => Enumerable.Range(0, 6).SelectMany(r => new[] { Visit($"{p.Primary}-{r}", p.Primary, Now), Visit($"{p.Secondary}-{r}", p.Secondary, Now) }))]);
        Assert.Equal((0, pairs.Length * 12), (again.Accepted, again.Duplicates));
        foreach (var (primary, secondary) in pairs)
        {
            var view = await store.ViewAsync(secondary);
            Assert.Equal((primary, 12L), (view!.CustomerId, view.Traits.Events));
        }

        Assert.Equal(pairs.Length, await store.CountAsync("visitors"));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);
    }

    [Fact]
    public async Task A_storm_of_merges_into_chains_keeps_counts_exact()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        var ids = Enumerable.Range(0, 12).Select(i => $"c{i:D2}").ToArray();
        await store.RecordAsync([.. ids.Select((id, i) => i % 3 == 0 ? Order($"o{id}", id, Now, 10) : Visit($"v{id}", id, Now))]);

        // Pairs merge at once, then the survivors into each other: chains of forwards two deep.
        var first = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Customer(store, ids[2 * i]).MergeAsync(ids[(2 * i) + 1])));
        var second = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Customer(store, ids[4 * i]).MergeAsync(ids[(4 * i) + 2])));

        Assert.All(first.Concat(second), m => Assert.Equal(MergeOutcome.Merged, m.Outcome));
        Assert.Equal(["c01", "c02", "c03"], (await store.ViewAsync("c03"))!.MergedIds.Order(StringComparer.Ordinal));
        Assert.Equal("c00", (await store.ViewAsync("c03"))!.CustomerId);
        var report = await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync();
        Assert.True(report.Consistent);
        Assert.Equal(3, report.Customers);
        Assert.Equal((3, 3), (await store.CountAsync("visitors"), await store.CountAsync("buyers")));

        // An event for the end of a chain travels it.
        await store.RecordAsync(Order("late", "c03", Now, 5));
        Assert.Equal(3, (await store.ViewAsync("c00"))!.Traits.Orders);
    }

    [Fact]
    public async Task Erasing_a_merged_id_erases_the_person_under_every_id()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
        await store.RecordAsync(Visit("v1", "anon", Now), Visit("v2", "ana", Now));
        await Customer(store, "ana").MergeAsync("anon");

        Assert.True(await store.EraseAsync("anon"));

        Assert.Null(await store.ViewAsync("ana"));
        Assert.Null(await store.ViewAsync("anon"));
        Assert.Equal(0, await store.CountAsync("visitors"));
        var refused = await store.RecordAsync(Visit("v3", "anon", Now), Visit("v4", "ana", Now));
        Assert.Equal(["v3", "v4"], refused.SuppressedIds.Order(StringComparer.Ordinal));
        // The journal keeps the tombstones, and cg_deadlines the one deadline that drops their leaves after the feed's retention.
        foreach (var table in Grains.Storage.CustomerTables.ErasedOnErasure.Where(t => t is not "cg_journal" and not "cg_deadlines"))
        {
            Assert.Equal(0, await cluster.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE store = @store", ("@store", store.Id)));
        }
    }

    [Fact]
    public async Task Refused_merges_change_nothing()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Visit("v1", "a", Now), Visit("v2", "b", Now), Visit("v3", "c", Now), Visit("v4", "null", Now));
        Assert.Equal(MergeOutcome.Merged, (await Customer(store, "a").MergeAsync("b")).Outcome);

        Assert.Equal(MergeOutcome.Self, (await Customer(store, "c").MergeAsync("c")).Outcome);
        Assert.Equal(MergeOutcome.Blocked, (await Customer(store, "c").MergeAsync("null")).Outcome);
        Assert.Equal(MergeOutcome.Blocked, (await Customer(store, "c").MergeAsync("UNDEFINED")).Outcome);
        Assert.Equal(MergeOutcome.UnknownSecondary, (await Customer(store, "c").MergeAsync("nobody")).Outcome);
        Assert.Equal(MergeOutcome.UnknownPrimary, (await Customer(store, "nobody").MergeAsync("c")).Outcome);
        Assert.Equal(MergeOutcome.Cycle, (await Customer(store, "b").MergeAsync("a")).Outcome);
        Assert.Equal(MergeOutcome.MergedElsewhere, (await Customer(store, "c").MergeAsync("b")).Outcome);
        Assert.Equal(MergeOutcome.AlreadyMerged, (await Customer(store, "a").MergeAsync("b")).Outcome);
        Assert.Equal(MergeOutcome.NotMerged, (await Customer(store, "c").UnmergeAsync("a")).Outcome);

        Assert.Equal(["b"], (await store.ViewAsync("a"))!.MergedIds.ToArray());
        Assert.Equal(2, (await store.ViewAsync("a"))!.Traits.Events);
        Assert.Equal(("c", 1L), ((await store.ViewAsync("c"))!.CustomerId, (await store.ViewAsync("c"))!.Traits.Events));
        Assert.Empty((await store.ViewAsync("c"))!.MergedIds);
        Assert.Equal(("null", 1L), ((await store.ViewAsync("null"))!.CustomerId, (await store.ViewAsync("null"))!.Traits.Events));
        Assert.Null(await store.ViewAsync("nobody"));
    }

    [Fact]
    public async Task A_customer_answers_for_at_most_the_configured_number_of_ids()
    {
        // The test cluster allows 5 ids per customer (ClusterFixture).
        var store = new TestStore(cluster);
        var ids = Enumerable.Range(0, 7).Select(i => $"m{i}").ToArray();
        await store.RecordAsync([.. ids.Select(id => Visit($"v-{id}", id, Now))]);
        await Customer(store, "m5").MergeAsync("m6");

        var outcomes = new List<MergeOutcome>();
        foreach (var id in ids[1..5])
        {
            outcomes.Add((await Customer(store, "m0").MergeAsync(id)).Outcome);
        }

        Assert.Equal([MergeOutcome.Merged, MergeOutcome.Merged, MergeOutcome.Merged, MergeOutcome.Merged], outcomes);
        Assert.Equal(MergeOutcome.TooManyIds, (await Customer(store, "m0").MergeAsync("m5")).Outcome);
        Assert.Equal(4, (await store.ViewAsync("m0"))!.MergedIds.Length);
        Assert.Equal(("m5", 2L), ((await store.ViewAsync("m5"))!.CustomerId, (await store.ViewAsync("m5"))!.Traits.Events));
    }

    [Fact]
    public async Task An_identify_with_the_anonymous_id_merges_and_one_naming_a_blocked_id_is_recorded_without_merging()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Visit("v1", "anon-7", Now), Visit("v2", "undefined", Now));

        var known = await store.RecordAsync(
            Make("i1", "bo", EventTypes.Identify, Now, ("anonymousId", PropertyValue.Of("anon-7")), ("email", PropertyValue.Of("bo@example.com"))));
        var blocked = await store.RecordAsync(Alias("a1", "bo", "undefined"));

        Assert.Equal((1, 1), (known.Accepted, blocked.Accepted));
        var view = await store.ViewAsync("bo");
        Assert.Equal(["anon-7"], view!.MergedIds.ToArray());
        Assert.Equal(3, view.Traits.Events);
        Assert.Equal("undefined", (await store.ViewAsync("undefined"))!.CustomerId);
    }

    [Fact]
    public async Task A_merge_survives_the_restart_of_every_silo()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
        await store.RecordAsync(Visit("v1", "anon", Now), Viewed("pv1", "anon", Now, "a"));
        await store.RecordAsync(Visit("v2", "ana", Now));
        await Customer(store, "ana").MergeAsync("anon");
        var before = await store.ViewAsync("ana");

        foreach (var silo in cluster.Cluster.Silos.ToList())
        {
            await cluster.Cluster.RestartSiloAsync(silo);
        }

        var after = await store.ViewAsync("anon");
        Assert.Equal(("ana", before!.Traits.Events), (after!.CustomerId, after.Traits.Events));
        Assert.Equal(["anon"], after.MergedIds.ToArray());
        await store.RecordAsync(Visit("v3", "anon", Now));
        Assert.Equal(4, (await store.ViewAsync("ana"))!.Traits.Events);
        Assert.Equal(1, await store.CountAsync("visitors"));
    }

    [Fact]
    public async Task An_unmerge_gives_both_sides_the_traits_and_memberships_of_customers_never_merged()
    {
        var merged = new TestStore(cluster);
        var apart = new TestStore(cluster);
        foreach (var store in new[] { merged, apart })
        {
            await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
            await store.CreateSegmentAsync("viewers", "count(product_viewed, 30d) >= 2");
            await store.CreateSegmentAsync("buyers", "orders >= 1");
            await store.CreateSegmentAsync("big", "revenue > 100");
            await store.CreateSegmentAsync("spanish", "profile.country == \"ES\"");
            await store.RecordAsync(Visit("v1", "anon", Now.AddDays(-3)), Viewed("pv1", "anon", Now.AddDays(-3), "a"), Viewed("pv2", "anon", Now.AddDays(-2), "b"));
            await store.RecordAsync(Identify("i1", "ana", Now.AddDays(-2), ("country", "ES"), ("email", "ana@example.com")), Order("o1", "ana", Now.AddDays(-1), 60));
        }

        Assert.Equal(MergeOutcome.Merged, (await Customer(merged, "ana").MergeAsync("anon")).Outcome);
        Assert.Equal(["buyers", "spanish", "viewers", "visitors"], TestStore.Own((await merged.ViewAsync("ana"))!.Segments).Order(StringComparer.Ordinal));

        // Both ids keep receiving events while merged (those for anon are forwarded, and keep their id).
        foreach (var store in new[] { merged, apart })
        {
            await store.RecordAsync(Order("o2", "anon", Now.AddHours(-5), 70), Identify("i2", "anon", Now.AddHours(-4), ("country", "FR")));
            await store.RecordAsync(Visit("v2", "ana", Now.AddHours(-3)));
        }

        Assert.Equal("FR", (await merged.ViewAsync("ana"))!.Profile["country"].Text);
        var unmerged = await Customer(merged, "ana").UnmergeAsync("anon");

        Assert.Equal(MergeOutcome.Unmerged, unmerged.Outcome);
        Assert.Empty(unmerged.MergedIds);
        foreach (var id in new[] { "ana", "anon" })
        {
            var (after, never) = ((await merged.ViewAsync(id))!, (await apart.ViewAsync(id))!);
            Assert.Equal(id, after.CustomerId);
            Assert.Empty(after.MergedIds);
            Assert.Equal(never.Profile, after.Profile);
            Assert.Equal(never.Traits with { EventCounts30d = null! }, after.Traits with { EventCounts30d = null! });
            Assert.Equal(never.Traits.EventCounts30d, after.Traits.EventCounts30d);
            Assert.Equal(TestStore.Own(never.Segments).Order(StringComparer.Ordinal), TestStore.Own(after.Segments).Order(StringComparer.Ordinal));
            Assert.Equal(never.Lifecycle, after.Lifecycle);
        }

        foreach (var segment in new[] { "visitors", "viewers", "buyers", "big", "spanish" })
        {
            Assert.Equal(TestStore.Ids(await apart.AllMembersAsync(segment)), TestStore.Ids(await merged.AllMembersAsync(segment)));
        }

        // The secondary came back into its segments because of the unmerge; the primary left those only the secondary's
        // events put it in (big, viewers) and came back into the one the secondary's newer country took it out of.
        Assert.All((await merged.ViewAsync("anon"))!.Segments.Where(s => !s.Id.StartsWith("lifecycle-", StringComparison.Ordinal)), s => Assert.Equal("unmerged:ana", s.Cause));
        var history = (await Customer(merged, "ana").HistoryAsync(new HistoryQuery(null, null, 0, 100)))!.Items;
        var byUnmerge = history.Where(i => i.Cause == "unmerged:anon").ToList();
        Assert.Equal(["big", "viewers"], byUnmerge.Where(i => !i.Entered).Select(i => i.Segment).Order(StringComparer.Ordinal));
        Assert.Equal(["spanish"], byUnmerge.Where(i => i.Entered).Select(i => i.Segment));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(merged.Id).ReconcileAsync()).Consistent);

        // From now on each id's events are its own.
        await merged.RecordAsync(Visit("v3", "anon", Now));
        Assert.Equal((await apart.ViewAsync("ana"))!.Traits.Events, (await merged.ViewAsync("ana"))!.Traits.Events);
        Assert.Equal((await apart.ViewAsync("anon"))!.Traits.Events + 1, (await merged.ViewAsync("anon"))!.Traits.Events);
    }

    [Fact]
    public async Task Only_an_id_merged_directly_into_a_customer_is_given_back_by_it_with_the_ids_merged_into_it()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Visit("v1", "p", Now), Visit("v2", "s", Now), Visit("v3", "t", Now));
        await Customer(store, "s").MergeAsync("t");
        await Customer(store, "p").MergeAsync("s");

        Assert.Equal(MergeOutcome.NotMerged, (await Customer(store, "p").UnmergeAsync("t")).Outcome);
        Assert.Equal(MergeOutcome.Unmerged, (await Customer(store, "p").UnmergeAsync("s")).Outcome);

        Assert.Empty((await store.ViewAsync("p"))!.MergedIds);
        var s = await store.ViewAsync("t");
        Assert.Equal(("s", 2L), (s!.CustomerId, s.Traits.Events));
        Assert.Equal(["t"], s.MergedIds.ToArray());
        await store.RecordAsync(Visit("v4", "t", Now));
        Assert.Equal((1, 3), ((await store.ViewAsync("p"))!.Traits.Events, (await store.ViewAsync("s"))!.Traits.Events));
    }

    [Fact]
    public async Task Events_sent_to_the_secondary_while_it_is_unmerged_all_end_with_it()
    {
        var store = new TestStore(cluster);
        var pairs = Enumerable.Range(0, 6).Select(i => (Primary: $"p{i}", Secondary: $"s{i}")).ToArray();
        foreach (var (primary, secondary) in pairs)
        {
            await store.RecordAsync(Visit($"{primary}-0", primary, Now), Visit($"{secondary}-0", secondary, Now));
            await Customer(store, primary).MergeAsync(secondary);
        }

        var sends = new List<Task<RecordResult>>();
        var unmerges = new List<Task<MergeResult>>();
        for (var round = 1; round <= 5; round++)
        {
            foreach (var (primary, secondary) in pairs)
            {
                sends.Add(store.RecordAsync(Visit($"{secondary}-{round}", secondary, Now)));
                sends.Add(store.RecordAsync(Visit($"{primary}-{round}", primary, Now)));
                if (round == 3)
                {
                    unmerges.Add(Customer(store, primary).UnmergeAsync(secondary));
                }
            }
        }

        Assert.Equal(pairs.Length * 10, (await Task.WhenAll(sends)).Sum(r => r.Accepted));
        Assert.All(await Task.WhenAll(unmerges), u => Assert.Equal(MergeOutcome.Unmerged, u.Outcome));
        foreach (var (primary, secondary) in pairs)
        {
            Assert.Equal((primary, 6L), ((await store.ViewAsync(primary))!.CustomerId, (await store.ViewAsync(primary))!.Traits.Events));
            Assert.Equal((secondary, 6L), ((await store.ViewAsync(secondary))!.CustomerId, (await store.ViewAsync(secondary))!.Traits.Events));
        }
    }

    [Fact]
    public async Task An_unmerge_survives_the_restart_of_every_silo()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Order("o1", "anon", Now, 10), Visit("v1", "ana", Now));
        await Customer(store, "ana").MergeAsync("anon");
        await store.RecordAsync(Order("o2", "anon", Now, 20));
        await Customer(store, "ana").UnmergeAsync("anon");

        foreach (var silo in cluster.Cluster.Silos.ToList())
        {
            await cluster.Cluster.RestartSiloAsync(silo);
        }

        var (ana, anon) = ((await store.ViewAsync("ana"))!, (await store.ViewAsync("anon"))!);
        Assert.Equal(("ana", 1L, 0), (ana.CustomerId, ana.Traits.Events, ana.Traits.Orders));
        Assert.Equal(("anon", 2L, 30.0), (anon.CustomerId, anon.Traits.Events, anon.Traits.Revenue));
        Assert.Equal(["anon"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);
    }

    private static string[] Own(ImmutableArray<string> segments) => [.. segments.Where(id => !id.StartsWith("lifecycle-", StringComparison.Ordinal))];

    private ICustomerGrain Customer(TestStore store, string id) => cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, id));

    private CustomerEvent Alias(string id, string customer, string previousId) =>
        Make(id, customer, CustomerMerge.AliasType, Now, ("previousId", PropertyValue.Of(previousId)));
}
