using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.TestSerialization;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>
/// Journal entries already stored must replay as the events they were. The resource was written by the engine
/// at main <c>80b0914</c> (events then carried their properties as an immutable dictionary): a throwaway test
/// serialised a <see cref="JournalEntry"/> of two events of customer <c>alice</c> (an order with a revenue of
/// 129.5, currency EUR, gift true and skus [sku-1, sku-2]; then a visit with no properties) and one membership
/// row (<c>big-spenders</c>, shard 3, entered by <c>event:e1</c>).
/// </summary>
public sealed class JournalEntryCompatibilityTests
{
    [Fact]
    public void An_entry_written_before_events_kept_their_properties_in_an_array_replays_with_its_properties()
    {
        var entry = Serializer.Deserialize<JournalEntry>(Resource("journal-entry-main-80b0914.bin"))!.Current();

        Assert.Equal(["e1", "e2"], entry.Events.Select(e => e.Id));
        var order = entry.Events[0];
        Assert.Equal(("alice", EventTypes.OrderCompleted), (order.CustomerId, order.Type));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), order.Timestamp);
        Assert.Equal(129.5, order.Property("revenue").AsNumber());
        Assert.Equal("EUR", order.Property("currency").AsText());
        Assert.Equal(PropertyValue.Of(true), order.Property("gift"));
        Assert.Equal(["sku-1", "sku-2"], order.Property("skus").Items.ToArray());
        Assert.Equal(4, order.Properties.Count);
        Assert.Empty(entry.Events[1].Properties);
        var row = Assert.Single(entry.Members);
        Assert.Equal(("big-spenders", 3, "event:e1", true), (row.SegmentId, row.Shard, row.Change.Cause, row.Change.IsMember));

        // And the customer it rebuilds counts the order's revenue.
        var state = new CustomerState();
        foreach (var e in entry.Events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        Assert.Equal(129.5, Assert.Single(state.Orders).Value.Revenue);
    }

    [Fact]
    public void An_entry_written_now_round_trips_and_needs_no_upgrade()
    {
        var order = Events.Make("e1", "alice", EventTypes.OrderCompleted, DateTimeOffset.UnixEpoch.AddDays(20000),
            ("revenue", PropertyValue.Of(20)), ("currency", PropertyValue.Of("EUR")));
        var written = new JournalEntry([order], [], Erased: false);

        var read = Serializer.Deserialize<JournalEntry>(Serializer.SerializeToArray(written))!;

        Assert.Same(read, read.Current());
        Assert.Equal(20, read.Events[0].Property("revenue").AsNumber());
        Assert.Equal("EUR", read.Events[0].Property("currency").AsText());
    }
}
