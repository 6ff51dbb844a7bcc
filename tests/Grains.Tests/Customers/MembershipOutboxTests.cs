using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;

namespace CustomerGrains.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class MembershipOutboxTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task A_change_reaches_its_shard_only_once_the_write_that_records_it_has_committed()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("a", "orders >= 1");
        await store.CreateSegmentAsync("b", "orders >= 2");
        var catalog = await CatalogAsync(store);
        var (a, b) = (catalog.Find("a")!, catalog.Find("b")!);
        var state = new CustomerState();
        var outbox = new MembershipOutbox(cluster.Grains, store.Id, "ana");

        var rows = outbox.Stage(state, [Join(a, 1)], write: 1, catalog);
        outbox.Stage(state, [Join(b, 2)], write: 2, catalog);
        await outbox.FlushAsync(state, through: 1, catalog);

        Assert.Equal(("a", a.Definition.Uid), (Assert.Single(rows).SegmentId, rows[0].Change.SegmentUid));
        Assert.Equal((1, 0), (await store.CountAsync("a"), await store.CountAsync("b")));
        Assert.Equal([b.Key], state.Outbox.Keys);

        await outbox.FlushAsync(state, through: 2, catalog);
        Assert.Equal(1, await store.CountAsync("b"));
        Assert.Empty(state.Outbox);
    }

    [Fact]
    public async Task Changes_from_before_the_activation_are_sent_unless_a_failed_decision_may_have_left_them()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("a", "orders >= 1");
        var catalog = await CatalogAsync(store);
        var a = catalog.Find("a")!;
        var state = new CustomerState();
        state.Outbox[a.Key] = Join(a, 1).Change;
        var outbox = new MembershipOutbox(cluster.Grains, store.Id, "ana");

        await outbox.FlushAsync(state, through: 0, catalog, trustUnstamped: false);
        Assert.Equal(0, await store.CountAsync("a"));

        await outbox.FlushAsync(state, through: 0, catalog);
        Assert.Equal(1, await store.CountAsync("a"));
    }

    [Fact]
    public async Task A_change_for_a_version_no_longer_in_the_catalog_is_neither_stored_nor_sent()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("a", "orders >= 1");
        var old = await CatalogAsync(store);
        await store.DeleteSegmentAsync("a");
        var current = await CatalogAsync(store);
        var state = new CustomerState();
        var outbox = new MembershipOutbox(cluster.Grains, store.Id, "ana");

        var rows = outbox.Stage(state, [Join(old.Find("a")!, 1)], write: 1, current);
        await outbox.FlushAsync(state, through: 1, current);

        Assert.Empty(rows);
        Assert.Empty(state.Outbox);
    }

    private MembershipDecision Join(CompiledSegment segment, long decision) =>
        new(segment.Key, new MembershipChange("ana", segment.Definition.Uid, true, Now, "event:e1", decision));

    private async Task<CompiledCatalog> CatalogAsync(TestStore store)
    {
        var snapshot = await cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id).GetSnapshotAsync();
        return new CompiledCatalog(snapshot.Version, [.. snapshot.Segments.Select(d => new CompiledSegment(d, Grains.Rules.RuleCompiler.Compile(d.EffectiveRule)))]);
    }
}
