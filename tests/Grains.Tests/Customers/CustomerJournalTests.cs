using CustomerGrains.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class CustomerJournalTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task Snapshots_cover_and_trim_the_journal_and_a_fresh_activation_is_the_same_customer()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("regulars", "count(visit, 30d) >= 4");
        for (var i = 0; i < 5; i++)
        {
            await store.RecordAsync(Visit($"v{i}", "jo", Now.AddHours(-i)));
        }

        var before = await store.ViewAsync("jo");

        // Three entries were snapshotted (and, with zero retention, trimmed); the last two are the tail.
        Assert.Equal(2, await JournalRowsAsync(store, "jo"));

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(0, await JournalRowsAsync(store, "jo"));

        var after = await store.ViewAsync("jo");
        Assert.Equal(before!.Traits with { EventCounts30d = null! }, after!.Traits with { EventCounts30d = null! });
        Assert.Equal(before.Segments.ToArray(), after.Segments.ToArray());
        Assert.Equal(["jo"], TestStore.Ids(await store.AllMembersAsync("regulars")));
        var retried = await store.RecordAsync(Visit("v0", "jo", Now));
        Assert.Equal(1, retried.Duplicates);
    }

    [Fact]
    public async Task Membership_rows_are_durable_and_shards_reload_them()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Order("o1", "a", Now, 10), Order("o2", "b", Now, 20), Visit("v1", "c", Now));

        Assert.Equal(2, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM cg_members WHERE store = @store AND segment = 'buyers'", ("@store", store.Id)));

        // Every activation goes; the shards come back from the stored rows alone.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(["a", "b"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.Equal(3, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_customers WHERE store = @store", ("@store", store.Id)));
    }

    private Task<long> JournalRowsAsync(TestStore store, string customer) =>
        cluster.ScalarAsync(
            "SELECT COUNT(*) FROM cg_journal WHERE store = @store AND customer_id = @customer",
            ("@store", store.Id), ("@customer", customer));
}
