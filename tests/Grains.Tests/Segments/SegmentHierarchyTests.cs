using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Segments;

[Collection(ClusterCollection.Name)]
public sealed class SegmentHierarchyTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task A_child_holds_only_members_of_its_parent_and_references_are_evaluated_in_order()
    {
        var store = new TestStore(cluster);
        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("big-buyers", "Big", null, "revenue > 100", Parent: "buyers"))).Outcome);
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("window-shoppers", "Lookers", null, "count(visit, 30d) >= 1 and not in_segment(\"buyers\")"))).Outcome);
        await store.WaitForBackfillAsync("big-buyers");
        await store.WaitForBackfillAsync("window-shoppers");

        await store.RecordAsync(
            Order("o1", "ann", Now, 150),
            Order("o2", "bob", Now, 20),
            Visit("v1", "cat", Now),
            Visit("v2", "ann", Now));

        Assert.Equal(["ann", "bob"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.Equal(["ann"], TestStore.Ids(await store.AllMembersAsync("big-buyers")));
        Assert.Equal(["cat"], TestStore.Ids(await store.AllMembersAsync("window-shoppers")));

        // Cat buys: it enters buyers and, in the same pass, leaves window-shoppers.
        await store.RecordAsync(Order("o3", "cat", Now, 500));
        Assert.Equal(["ann", "bob", "cat"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.Equal(["ann", "cat"], TestStore.Ids(await store.AllMembersAsync("big-buyers")));
        Assert.Empty(await store.AllMembersAsync("window-shoppers"));
    }

    /// <summary>Found by the HTTP fuzz test: after an edit of the parent, the child kept members the parent no longer had.</summary>
    [Fact]
    public async Task Children_and_readers_follow_when_the_segment_they_read_is_edited()
    {
        var store = new TestStore(cluster);
        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("big-buyers", "Big", null, "revenue > 100", Parent: "buyers"))).Outcome);
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("lookers", "Lookers", null, "count(visit, 30d) >= 1 and not in_segment(\"buyers\")"))).Outcome);
        await store.WaitForBackfillAsync("big-buyers");
        await store.WaitForBackfillAsync("lookers");
        await store.RecordAsync(Order("o1", "ann", Now, 150), Visit("v1", "ann", Now), Visit("v2", "cat", Now));
        Assert.Equal(["ann"], TestStore.Ids(await store.AllMembersAsync("big-buyers")));
        Assert.Equal(["cat"], TestStore.Ids(await store.AllMembersAsync("lookers")));

        // No event follows the edit: only re-deriving the segments that read buyers (a version 2 of each,
        // started as buyers switches) can move ann.
        await store.UpdateSegmentAsync("buyers", "orders >= 5");
        await Eventually(async () =>
        {
            Assert.Equal(2, (await catalog.GetAsync("big-buyers"))!.Definition.Version);
            Assert.Equal(2, (await catalog.GetAsync("lookers"))!.Definition.Version);
        });

        Assert.Empty(await store.AllMembersAsync("buyers"));
        Assert.Empty(await store.AllMembersAsync("big-buyers"));
        Assert.Equal(["ann", "cat"], TestStore.Ids(await store.AllMembersAsync("lookers")));
        Assert.Equal("revenue > 100", (await catalog.GetAsync("big-buyers"))!.Definition.Rule);
    }

    [Fact]
    public async Task Value_tiers_move_when_the_population_shifts_and_tier_segments_follow()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("vip", "value_tier == \"high\"");
        await store.RecordAsync([.. Enumerable.Range(1, 10).Select(i => Order($"small-{i}", $"s{i:D2}", Now, i * 10))]);

        // The top fifth of ten customers: s09 and s10.
        await Eventually(async () => Assert.Equal(["s09", "s10"], TestStore.Ids(await store.AllMembersAsync("vip"))));
        Assert.Equal("high", (await store.ViewAsync("s10"))!.Class!.ValueTier);

        // Ten big spenders arrive: nobody spent more than them, so all ten are high; s10 has half the store above it.
        await store.RecordAsync([.. Enumerable.Range(1, 10).Select(i => Order($"big-{i}", $"b{i:D2}", Now, 1000))]);

        await Eventually(async () =>
        {
            Assert.Equal(Enumerable.Range(1, 10).Select(i => $"b{i:D2}").ToArray(), TestStore.Ids(await store.AllMembersAsync("vip")));
            Assert.Equal("low", (await store.ViewAsync("s10"))!.Class!.ValueTier);
        });
    }

    [Fact]
    public async Task Customers_who_order_after_first_only_visiting_count_in_the_population()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("vip", "value_tier == \"high\"");

        // Each customer is known (and its statistics looked at) before its order arrives in a later request.
        await store.RecordAsync([.. Enumerable.Range(1, 5).Select(i => Visit($"visit-{i}", $"v{i}", Now.AddDays(-1)))]);
        await store.RecordAsync([.. Enumerable.Range(1, 5).Select(i => Order($"order-{i}", $"v{i}", Now, i * 100))]);

        // The top fifth of five customers: v5.
        await Eventually(async () => Assert.Equal(["v5"], TestStore.Ids(await store.AllMembersAsync("vip"))));
        Assert.Equal("low", (await store.ViewAsync("v1"))!.Class!.ValueTier);
    }

    /// <summary>Statistics travel on a short real-time cadence: retry the assertion until it holds, bounded.</summary>
    private static async Task Eventually(Func<Task> assertion)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task A_segment_others_refer_to_cannot_be_deleted_and_cycles_cannot_be_made()
    {
        var store = new TestStore(cluster);
        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id);
        await store.CreateSegmentAsync("base", "orders >= 1");
        await store.CreateSegmentAsync("derived", "in_segment(\"base\") and revenue > 10");

        Assert.Equal(CatalogOutcome.InUse, await catalog.DeleteAsync("base"));
        var cycle = await catalog.UpdateAsync(new SegmentDraft("base", "base", null, "in_segment(\"derived\")"));
        Assert.Equal(CatalogOutcome.InvalidRule, cycle.Outcome);
        Assert.Contains("cycle", cycle.Error, StringComparison.Ordinal);
        Assert.Equal("orders >= 1", (await catalog.GetAsync("base"))!.Definition.Rule);
    }
}
