using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class CustomerGrainTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task Duplicate_event_ids_are_counted_as_duplicates_and_change_nothing()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        var batch = new[] { Order("o1", "d", Now, 30), Visit("v1", "d", Now), Order("o2", "e", Now, 5) };

        var first = await store.RecordAsync(batch);
        var before = await store.ViewAsync("d");
        var again = await store.RecordAsync(batch);
        var partly = await store.RecordAsync(Order("o1", "d", Now, 999), Visit("v2", "d", Now));

        Assert.Equal((3, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 3), (again.Accepted, again.Duplicates));
        Assert.Equal((1, 1), (partly.Accepted, partly.Duplicates));
        var after = await store.ViewAsync("d");
        Assert.Equal(before!.Traits.Revenue, after!.Traits.Revenue);
        Assert.Equal(1, after.Traits.Orders);
        Assert.Equal(3, after.Traits.Events);
        Assert.Equal(2, await store.CountAsync("buyers"));
        Assert.Equal(before.Segments.ToArray(), after.Segments.ToArray());
    }

    [Fact]
    public async Task Events_in_the_shape_an_older_Api_sends_keep_their_properties()
    {
        // During an upgrade the Api may be a build older than the silos: its events carry their properties in
        // the old field. The resource's events are such events (see JournalEntryCompatibilityTests).
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("big-orders", "revenue > 100");
        var old = TestSerialization.Serializer.Deserialize<Grains.Customers.JournalEntry>(
            TestSerialization.Resource("journal-entry-main-80b0914.bin"))!;

        var result = await store.RecordAsync([.. old.Events]);

        Assert.Equal((2, 0), (result.Accepted, result.Duplicates));
        var view = await store.ViewAsync("alice");
        Assert.Equal((1, 129.5), (view!.Traits.Orders, view.Traits.Revenue));
        Assert.Equal(1, await store.CountAsync("big-orders"));
    }

    [Fact]
    public async Task The_same_events_in_any_order_give_the_same_customer()
    {
        var store = new TestStore(cluster);
        var events = new[]
        {
            Identify("i1", "_", Now.AddDays(-3), ("country", "ES"), ("email", "old@example.com")),
            Identify("i2", "_", Now.AddDays(-1), ("email", "new@example.com")),
            Order("o1", "_", Now.AddDays(-2), 100, orderId: "A"),
            Refund("r1", "_", Now.AddDays(-1), amount: null, orderId: "A"),
            Order("o2", "_", Now.AddDays(-1), 40),
            Visit("v1", "_", Now.AddDays(-5)),
        };

        foreach (var e in events)
        {
            await store.RecordAsync(e with { CustomerId = "forward" });
        }

        // The same ids for another customer of the same store would be duplicates (ids are unique per store): another store.
        var other = new TestStore(cluster);
        foreach (var e in events.Reverse())
        {
            await other.RecordAsync(e with { CustomerId = "backward" });
        }

        var forward = await store.ViewAsync("forward");
        var backward = await other.ViewAsync("backward");
        Assert.Equal(forward!.Traits with { EventCounts30d = null! }, backward!.Traits with { EventCounts30d = null! });
        Assert.Equal(forward.Traits.EventCounts30d, backward.Traits.EventCounts30d);
        Assert.Equal(forward.Profile, backward.Profile);
        Assert.Equal("new@example.com", backward.Profile["email"].Text);
        Assert.Equal(40, backward.Traits.Revenue);
        Assert.Equal(2, backward.Traits.Orders);
        Assert.Equal(Now.AddDays(-5), backward.Traits.FirstSeenAt);
    }

    [Fact]
    public async Task A_customer_with_no_events_is_unknown()
    {
        var store = new TestStore(cluster);
        Assert.Null(await store.ViewAsync("nobody"));
    }
}
