using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Grains.Tests.Customers;

public sealed class SnapshotScheduleTests
{
    [Theory]
    // snapshot every, retained events, entries journaled → due now
    [InlineData(64, 10, 63, false)]
    [InlineData(64, 10, 64, true)]
    [InlineData(64, 1000, 64, false)] // a busy customer: a quarter of its retained events, 250
    [InlineData(64, 1000, 250, true)]
    public void A_snapshot_is_due_after_enough_entries_and_later_for_customers_with_many_events(int every, int retained, int entries, bool due)
    {
        var schedule = new SnapshotSchedule(every);
        var state = new CustomerState { Recent = [.. Enumerable.Repeat(default(RetainedEvent), retained)] };
        for (var i = 0; i < entries; i++)
        {
            schedule.Journaled();
        }

        Assert.Equal(due, schedule.IsDue(state));
        schedule.Reset();
        Assert.False(schedule.IsDue(state));
    }
}
