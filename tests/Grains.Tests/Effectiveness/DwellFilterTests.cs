using CustomerGrains.Grains.Effectiveness;

namespace CustomerGrains.Grains.Tests.Effectiveness;

public sealed class DwellFilterTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Flows_see_a_segments_changes_as_the_feed_tells_them_under_its_minimum_dwell()
    {
        SegmentChange[] changes =
        [
            new("ann", true, T), new("bob", true, T.AddMinutes(1)), new("ann", false, T.AddMinutes(5)),
            new("bob", false, T.AddMinutes(30)), new("ann", true, T.AddMinutes(40)), new("cy", true, T.AddMinutes(55)),
        ];

        var told = DwellFilter.Told(changes, TimeSpan.FromMinutes(10), T.AddMinutes(60));

        // Ann's 5-minute stay goes, her stay from minute 40 is told; Bob's 29 minutes are told; Cy's 5 minutes so far are not yet.
        Assert.Equal([("bob", true), ("bob", false), ("ann", true)], told.Select(c => (c.CustomerId, c.Entered)));
        Assert.Same(changes, DwellFilter.Told(changes, null, T.AddMinutes(60)));
    }
}
