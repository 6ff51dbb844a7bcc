using CustomerGrains.Grains.Effectiveness;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>Flows between segments replayed by hand: who left one segment and joined another over the period.</summary>
public sealed class FlowReplayTests
{
    private static readonly FlowRange Week = new(At("11-01T00:00"), At("11-08T00:00"));

    [Fact]
    public void A_customer_who_left_a_and_joined_b_moved_from_a_to_b_once_and_one_who_came_back_did_not_move()
    {
        SegmentChange[] a =
        [
            new("u0", true, At("10-20T00:00")), new("u1", true, At("10-20T00:00")), new("u2", true, At("10-20T00:00")),
            new("u3", true, At("10-20T00:00")), new("u4", true, At("10-20T00:00")), new("u5", true, At("10-20T00:00")),
            new("u1", false, At("11-02T00:00")),
            new("u2", false, At("11-02T00:00")), new("u2", true, At("11-04T00:00")), // back in a: no move
            new("u3", false, At("11-03T00:00")),
            new("u4", false, At("11-01T00:00")), // at from itself: a member at from, before the change
            new("u5", false, At("10-30T00:00")), // before the period
            new("u0", false, At("11-03T00:00")), new("u0", true, At("11-05T00:00")), new("u0", false, At("11-06T00:00")),
        ];
        SegmentChange[] b =
        [
            new("u1", true, At("11-02T00:00")),
            new("u2", true, At("11-02T00:00")), new("u2", false, At("11-04T00:00")),
            new("u3", true, At("11-03T00:00")),
            new("u4", true, At("11-08T00:00")), // at to itself: a member at to, after the change
            new("u5", true, At("11-09T00:00")), // after the period
            new("u0", true, At("11-03T00:00")), new("u0", false, At("11-04T00:00")), new("u0", true, At("11-07T00:00")),
        ];
        SegmentChange[] c = [new("u3", true, At("11-05T00:00")), new("u1", true, At("11-06T00:00")), new("u1", false, At("11-07T00:00"))];

        var flows = FlowReplay.Compute(["a", "b", "c"], [a, b, c], Week);

        Assert.Equal(
            [("a", "b", 4L), ("a", "c", 1L), ("b", "a", 0L), ("b", "c", 0L), ("c", "a", 0L), ("c", "b", 0L)],
            flows.Select(f => (f.From, f.To, f.Customers)));
    }

    [Fact]
    public void A_customer_in_both_segments_at_both_ends_did_not_move()
    {
        SegmentChange[] a = [new("u1", true, At("10-01T00:00")), new("u1", false, At("11-02T00:00"))];
        SegmentChange[] b = [new("u1", false, At("11-01T12:00")), new("u1", true, At("11-03T00:00"))];

        // u1 was in a and in b at from: not "in a and not in b".
        Assert.All(FlowReplay.Compute(["a", "b"], [a, b], Week), f => Assert.Equal(0, f.Customers));
    }

    private static DateTimeOffset At(string monthDayTime) => DateTimeOffset.Parse($"2026-{monthDayTime}:00Z");
}
