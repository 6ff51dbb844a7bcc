using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Reconcile;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// Merging by a matching trait on the two-silo test cluster: the first customer to hold a normalised e-mail (by default)
/// or phone (when the store matches on it) keeps it, and a customer that takes it later is merged into that one.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TraitMatchingTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task Two_sign_ups_with_one_e_mail_become_one_customer_the_first_one()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Identify("i1", "web-17", Now.AddHours(-3), ("email", "Ann@Example.com ")), Order("o1", "web-17", Now.AddHours(-3), 40));
        await store.RecordAsync(Identify("i2", "app-4", Now.AddHours(-1), ("email", "ann@example.COM")), Order("o2", "app-4", Now.AddHours(-1), 25));

        var view = await store.ViewAsync("app-4");
        Assert.Equal("web-17", view!.CustomerId);
        Assert.Equal(["app-4"], view.MergedIds.ToArray());
        Assert.Equal((2, 65.0), (view.Traits.Orders, view.Traits.Revenue));
        Assert.Equal(["web-17"], TestStore.Ids(await store.AllMembersAsync("buyers")));

        // Later events for either id reach the one customer.
        await store.RecordAsync(Order("o3", "app-4", Now, 10));
        Assert.Equal(3, (await store.ViewAsync("web-17"))!.Traits.Orders);
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);

        // The table holds a hash of the e-mail, never the address.
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_identity_keys WHERE store = @store AND key LIKE '%@%'", ("@store", store.Id)));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_identity_keys WHERE store = @store AND customer_id = 'web-17'", ("@store", store.Id)));
    }

    [Fact]
    public async Task A_store_that_matches_on_nothing_keeps_customers_who_share_an_e_mail_apart()
    {
        var store = new TestStore(cluster);
        await Population(store).SetIdentityAsync(new IdentitySettings([]));
        await store.RecordAsync(Identify("i1", "a", Now, ("email", "same@example.com")));
        await store.RecordAsync(Identify("i2", "b", Now, ("email", "same@example.com")));

        Assert.Equal(("a", "b"), ((await store.ViewAsync("a"))!.CustomerId, (await store.ViewAsync("b"))!.CustomerId));
        Assert.Empty((await store.ViewAsync("a"))!.MergedIds);
        Assert.Empty((await Population(store).GetIdentityAsync()).MatchTraits);
    }

    [Fact]
    public async Task A_store_can_match_on_the_phone_in_E164_whatever_way_it_was_written()
    {
        var store = new TestStore(cluster);
        await Population(store).SetIdentityAsync(new IdentitySettings([IdentitySettings.Phone]));
        await store.RecordAsync(Identify("i1", "a", Now, ("phone", "+34 612 34 56 78"), ("email", "a@example.com")));
        await store.RecordAsync(Identify("i2", "b", Now, ("phone", "+34612-345-678"), ("email", "b@example.com")));
        await store.RecordAsync(Identify("i3", "c", Now, ("email", "a@example.com")));

        Assert.Equal(["b"], (await store.ViewAsync("a"))!.MergedIds.ToArray());

        // The e-mail is not a matching trait of this store: c stays itself.
        Assert.Equal("c", (await store.ViewAsync("c"))!.CustomerId);
    }

    [Fact]
    public async Task A_blocked_value_never_merges()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Identify("i1", "a", Now, ("email", "test@test.com")));
        await store.RecordAsync(Identify("i2", "b", Now, ("email", "TEST@test.com")));

        Assert.Equal(("a", "b"), ((await store.ViewAsync("a"))!.CustomerId, (await store.ViewAsync("b"))!.CustomerId));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_identity_keys WHERE store = @store", ("@store", store.Id)));
    }

    [Fact]
    public async Task After_an_unmerge_the_same_e_mail_sent_again_changes_nothing_and_a_new_one_held_elsewhere_merges()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Identify("i1", "a", Now, ("email", "one@example.com")));
        await store.RecordAsync(Identify("i2", "b", Now, ("email", "one@example.com")));
        await store.RecordAsync(Identify("i3", "c", Now, ("email", "two@example.com")));
        Assert.Equal(MergeOutcome.Unmerged, (await Customer(store, "a").UnmergeAsync("b")).Outcome);

        await store.RecordAsync(Identify("i4", "b", Now, ("email", "one@example.com")));
        Assert.Equal(("b", 0), ((await store.ViewAsync("b"))!.CustomerId, (await store.ViewAsync("a"))!.MergedIds.Length));

        await store.RecordAsync(Identify("i5", "b", Now, ("email", "two@example.com")));
        Assert.Equal(["b"], (await store.ViewAsync("c"))!.MergedIds.ToArray());
    }

    [Fact]
    public async Task Many_customers_taking_one_e_mail_at_once_end_as_one_and_counts_stay_exact()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("visitors", "count(visit, 30d) >= 1");
        // The test cluster allows 5 ids per customer (ClusterFixture).
        var ids = Enumerable.Range(0, 5).Select(i => $"dup{i}").ToArray();
        await store.RecordAsync([.. ids.Select(id => Visit($"v-{id}", id, Now))]);

        await Task.WhenAll(ids.Select(id => store.RecordAsync(Identify($"i-{id}", id, Now, ("email", "shared@example.com")))));

        var views = await Task.WhenAll(ids.Select(store.ViewAsync));
        var primary = Assert.Single(views.Select(v => v!.CustomerId).Distinct());
        Assert.Equal(ids.Where(id => id != primary).Order(StringComparer.Ordinal), views[0]!.MergedIds.Order(StringComparer.Ordinal));
        Assert.Equal(2 * ids.Length, views[0]!.Traits.Events);
        Assert.Equal([primary], TestStore.Ids(await store.AllMembersAsync("visitors")));
        Assert.True((await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync()).Consistent);
    }

    [Fact]
    public async Task An_erasure_lets_the_e_mail_go_so_a_new_customer_who_gives_it_stays_itself()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Identify("i1", "a", Now, ("email", "gone@example.com"), ("phone", "+34612345678")));
        Assert.True(await store.EraseAsync("a"));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_identity_keys WHERE store = @store", ("@store", store.Id)));

        await store.RecordAsync(Identify("i2", "b", Now, ("email", "gone@example.com")));

        Assert.Equal("b", (await store.ViewAsync("b"))!.CustomerId);
        Assert.Empty((await store.ViewAsync("b"))!.MergedIds);
    }

    private IPopulationGrain Population(TestStore store) => cluster.Grains.GetGrain<IPopulationGrain>(store.Id);

    private ICustomerGrain Customer(TestStore store, string id) => cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, id));
}
