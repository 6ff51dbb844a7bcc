using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Classification;

/// <summary>
/// A change of a store's statistics re-decides the customers it can move — those with orders — and leaves the others
/// alone: a customer without orders that went idle is not woken by the store's traffic.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReclassificationPassTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task New_statistics_move_the_buyers_classes_and_do_not_wake_customers_without_orders()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("high", "value_tier == \"high\"");
        await store.RecordAsync(Order("o1", "ann", Now, 100), Visit("v1", "bob", Now));
        await store.WaitForMemberAsync("high", "ann", member: true);

        // Both go idle and are deactivated.
        await cluster.DeactivateAsync(GrainKeys.Customer(store.Id, "ann"), GrainKeys.Customer(store.Id, "bob"));

        // Another buyer who spent more: ann, not called, leaves the top fifth through the pass that re-decides buyers.
        await store.RecordAsync(Order("o2", "cy", Now, 1000));
        await store.WaitForMemberAsync("high", "ann", member: false);
        Assert.True(await cluster.IsActiveAsync(GrainKeys.Customer(store.Id, "ann")));

        // The pass did not call bob, who has no order and no class for the statistics to move.
        Assert.False(await cluster.IsActiveAsync(GrainKeys.Customer(store.Id, "bob")));
    }
}
