using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Deadlines;

namespace CustomerGrains.Grains.Tests.Customers;

public sealed class DeadlineTrackerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    // held (hours from now; null: none), decided next (hours; null: none) → whether the shard must hear of it
    [InlineData(5, 5, false)] // the same deadline
    [InlineData(5, 3, true)] // earlier: the held one would wake too late
    [InlineData(5, 9, false)] // later: the held one wakes early, finds nothing due, registers the real one then
    [InlineData(5, null, false)] // gone: likewise
    [InlineData(null, 5, true)] // a first deadline
    [InlineData(null, null, false)]
    [InlineData(-1, 9, true)] // the held one has passed: it no longer wakes anyone
    public void Only_a_deadline_the_held_one_would_miss_is_recorded(int? heldHours, int? nextHours, bool recorded)
    {
        var tracker = new DeadlineTracker("ana");
        tracker.Change(At(heldHours), Now.AddHours(-2));

        var change = tracker.Change(At(nextHours), Now);

        Assert.Equal(recorded, change is not null);
        if (change is not null)
        {
            Assert.Equal(At(nextHours), change.Due);
            Assert.Equal(DeadlineShards.Of("ana"), change.Shard);
        }
    }

    [Fact]
    public void The_first_decision_of_an_activation_is_always_recorded()
    {
        var tracker = new DeadlineTracker("ana");

        Assert.Equal(new(DeadlineShards.Of("ana"), null), tracker.Change(null, Now));
    }

    [Fact]
    public void A_deadline_that_fired_is_registered_again_even_when_unchanged()
    {
        var tracker = new DeadlineTracker("ana");
        tracker.Change(Now.AddHours(5), Now);

        tracker.Forget();

        Assert.NotNull(tracker.Change(Now.AddHours(5), Now));
    }

    [Fact]
    public void After_an_erasure_a_new_deadline_is_recorded_whatever_was_held_before()
    {
        var tracker = new DeadlineTracker("ana");
        tracker.Change(Now.AddHours(5), Now);

        Assert.Null(tracker.Clear().Due);
        Assert.NotNull(tracker.Change(Now.AddHours(5), Now));
    }

    private static DateTimeOffset? At(int? hours) => hours is { } h ? Now.AddHours(h) : null;
}
