using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Reconcile;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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

        // Three entries were snapshotted (and, with zero retention, trimmed, but for those that changed a membership:
        // the change feed keeps them for its own retention); the last two are the tail, of which the fourth visit's
        // entry made jo a regular.
        Assert.Equal(1, await JournalRowsAsync(store, "jo", "changes = 0"));
        var changed = await JournalRowsAsync(store, "jo", "changes > 0");
        Assert.True(changed >= 1);

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(0, await JournalRowsAsync(store, "jo", "changes = 0"));
        Assert.Equal(changed, await JournalRowsAsync(store, "jo", "changes > 0"));

        var after = await store.ViewAsync("jo");
        Assert.Equal(before!.Traits with { EventCounts30d = null! }, after!.Traits with { EventCounts30d = null! });
        Assert.Equal(before.Segments.ToArray(), after.Segments.ToArray());
        Assert.Equal(["jo"], TestStore.Ids(await store.AllMembersAsync("regulars")));
        var retried = await store.RecordAsync(Visit("v0", "jo", Now));
        Assert.Equal(1, retried.Duplicates);
    }

    [Fact]
    public async Task A_customer_with_many_events_snapshots_after_a_quarter_as_many_entries_as_it_retains_events()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync([.. Enumerable.Range(0, 40).Select(i => Visit($"h{i}", "busy", Now.AddDays(-i - 1)))]);

        // 40 retained events and more: a snapshot waits for max(3, retained / 4) entries (11–12 here), where a
        // customer with few events snapshots every 3 (and the journal, trimmed at once here, keeps at most 3 rows).
        var sent = 0;
        for (; sent < 6; sent++)
        {
            await store.RecordAsync(Visit($"v{sent}", "busy", Now.AddMinutes(-sent)));
        }

        Assert.True(await JournalRowsAsync(store, "busy") >= 7, "the customer snapshotted as often as one with few events");

        // Then it does snapshot (and trim: at most the entries after it stay). Re-evaluations by the store's lifecycle
        // segments and classification may add an entry or two.
        while (await JournalRowsAsync(store, "busy") > 2)
        {
            Assert.True(sent < 14, "the entries reached a quarter of the retained events without a snapshot");
            await store.RecordAsync(Visit($"v{sent}", "busy", Now.AddMinutes(-sent)));
            sent++;
        }

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(40 + sent, (await store.ViewAsync("busy"))!.Traits.Events);
    }

    [Fact]
    public async Task Membership_rows_are_durable_and_shards_reload_them()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Order("o1", "a", Now, 10), Order("o2", "b", Now, 20), Visit("v1", "c", Now));

        Assert.Equal(2, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM cg_members WHERE store = @store AND segment = 'buyers' AND is_member", ("@store", store.Id)));

        // Every activation goes; the shards come back from the stored rows alone.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(["a", "b"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.Equal(3, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_customers WHERE store = @store", ("@store", store.Id)));
    }

    [Fact]
    public async Task A_busy_customers_requests_queue_their_writes_without_waiting_for_each_others_commits()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("regulars", "count(visit, 30d) >= 30");
        var customer = cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, "busy"));
        await customer.RecordAsync([Visit("first", "busy", Now)]);

        // Hold every silo's database: no journal batch can commit until the gates open again.
        var silos = cluster.SiloServices.Select(s => (Database: s.GetRequiredService<StoreDatabase>(), Journal: s.GetRequiredService<JournalWriter>())).ToList();
        foreach (var silo in silos)
        {
            await silo.Database.WriteGate.WaitAsync();
        }

        Task<RecordResult>[] requests;
        try
        {
            requests = [.. Enumerable.Range(0, 40).Select(i => customer.RecordAsync([Visit($"v{i}", "busy", Now.AddMinutes(-i))]))];

            // One at a time, the second request would wait for the first one's commit: only one write could be queued.
            var until = DateTime.UtcNow.AddSeconds(30);
            while (silos.Sum(s => s.Journal.Waiting) < requests.Length)
            {
                Assert.True(DateTime.UtcNow < until, $"only {silos.Sum(s => s.Journal.Waiting)} writes were queued while the database was held");
                await Task.Delay(10);
            }

            Assert.All(requests, r => Assert.False(r.IsCompleted));
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Database.WriteGate.Release();
            }
        }

        var results = await Task.WhenAll(requests);
        Assert.All(results, r => Assert.Equal(1, r.Accepted));
        var retried = await customer.RecordAsync([Visit("v7", "busy", Now)]);
        Assert.Equal(1, retried.Duplicates);

        var view = await customer.GetViewAsync();
        Assert.Equal(41, view!.Traits.Events);
        var entered = Assert.Single(view.Segments, s => s.Id == "regulars");
        Assert.StartsWith("event:v", entered.Cause);
        Assert.Equal(1, await store.CountAsync("regulars"));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);

        // Replayed from what was committed, it is the same customer.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var replayed = await customer.GetViewAsync();
        Assert.Equal(41, replayed!.Traits.Events);
        Assert.Equal(view.Segments.ToArray(), replayed.Segments.ToArray());
    }

    [Fact]
    public async Task A_write_decided_on_top_of_one_that_failed_fails_with_it_and_stores_nothing()
    {
        var store = new TestStore(cluster);
        var journal = cluster.SiloServices.First().GetRequiredService<CustomerJournal>();
        var entry = new JournalEntry([Visit("v1", "later", Now)], [], Erased: false);

        var failed = Task.FromException<long>(new TimeoutException("the earlier commit failed"));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => journal.WriteAsync(store.Id, "later", entry, register: true, after: failed));
        Assert.Equal("the earlier commit failed", error.Message);
        Assert.Equal(0, await JournalRowsAsync(store, "later"));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_customers WHERE store = @store", ("@store", store.Id)));

        var committed = await journal.WriteAsync(store.Id, "later", entry, register: true, after: Task.FromResult(1L));
        Assert.True(committed > 0);
        Assert.Equal(1, await JournalRowsAsync(store, "later"));
    }

    private Task<long> JournalRowsAsync(TestStore store, string customer, string where = "1 = 1") =>
        cluster.ScalarAsync(
            $"SELECT COUNT(*) FROM cg_journal WHERE store = @store AND customer_id = @customer AND {where}",
            ("@store", store.Id), ("@customer", customer));
}
