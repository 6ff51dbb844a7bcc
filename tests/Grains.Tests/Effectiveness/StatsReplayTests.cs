using CustomerGrains.Grains.Effectiveness;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>A segment's stats replayed by hand: sizes, entries and exits, members' purchase days, conversion by group.</summary>
public sealed class StatsReplayTests
{
    private static readonly StatsRange Days = new(At("11-01T00:00"), At("11-04T00:00"), StatsInterval.Day);

    private static readonly DateTimeOffset Now = At("11-03T12:00");

    // bob was a member before the feed's first held change of his (an exit); cy has been one all along (no held change);
    // eve entered before the range; ann entered, left and came back; dee and fay entered.
    private static readonly SegmentChange[] Changes =
    [
        new("eve", true, At("10-31T09:00")),
        new("ann", true, At("11-01T08:00")),
        new("bob", false, At("11-01T10:00")),
        new("eve", false, At("11-02T09:00")),
        new("dee", true, At("11-02T12:00")),
        new("ann", false, At("11-02T13:00")),
        new("fay", true, At("11-03T01:00")),
        new("ann", true, At("11-03T08:00")),
    ];

    private static readonly HashSet<string> Members = ["ann", "cy", "dee", "fay"];

    private static readonly Dictionary<string, PurchaseDay[]> Purchases = new()
    {
        ["cy"] = [Day("11-01", 10), Day("11-03", 5)],
        ["ann"] = [Day("11-01", 20), Day("11-02", 7), Day("11-03", 30)],
        ["bob"] = [Day("11-01", 40)],
        ["dee"] = [Day("11-03", 50)],
        ["eve"] = [Day("11-02", 60)],
        ["fay"] = [Day("11-03", 70)],
        ["zed"] = [Day("11-02", 99)],
    };

    [Fact]
    public void Each_day_has_its_size_at_the_end_its_entries_and_exits_and_the_purchases_of_those_who_were_members_when_it_began()
    {
        var (intervals, _) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, _ => false, 1);

        Assert.Equal(
            [
                (At("11-01T00:00"), 3L, 1L, 1L, 2L, 50.0), // ann in, bob out; cy's and bob's purchases (ann entered after the day began)
                (At("11-02T00:00"), 2L, 1L, 2L, 2L, 67.0), // eve and ann out, dee in; ann's and eve's purchases
                (At("11-03T00:00"), 4L, 2L, 0L, 2L, 55.0), // fay and ann in; cy's and dee's (fay and ann entered during the day)
            ],
            intervals.Select(i => (i.Start, i.Size, i.Entered, i.Exited, i.PurchaseDays!.Value, i.Revenue!.Value)));
        Assert.Equal(Members.Count, intervals[^1].Size);
    }

    [Fact]
    public void Minutes_and_hours_carry_no_purchases_since_the_index_knows_them_per_day()
    {
        var hours = new StatsRange(At("11-02T08:00"), At("11-02T14:00"), StatsInterval.Hour);

        var (intervals, _) = StatsReplay.Compute(hours, Now, Members, Changes, Purchases, _ => false, 1);

        Assert.All(intervals, i => Assert.Null(i.PurchaseDays));
        Assert.All(intervals, i => Assert.Null(i.Revenue));
        Assert.Equal([3L, 2L, 2L, 2L, 3L, 2L], intervals.Select(i => i.Size));
    }

    [Fact]
    public void Conversion_counts_each_customers_first_entry_in_the_range_and_purchases_after_its_day_within_the_window()
    {
        // ann (first entry 11-01) bought on 11-02: converted; fay bought only on her entry's day: not (yet); dee is control.
        var (_, conversion) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, customer => customer == "dee", 1);

        Assert.Equal(new ConversionGroup(2, 1, 1, 0.5, Proportions.Wilson(1, 2).Low, Proportions.Wilson(1, 2).High), conversion.Treated);
        Assert.Equal(new ConversionGroup(1, 1, 1, 1.0, Proportions.Wilson(1, 1).Low, 1.0), conversion.Control);
        Assert.Equal(-0.5, conversion.Difference!.Value);
        Assert.Equal(Proportions.Difference(1, 2, 1, 1), (conversion.Difference.Low!.Value, conversion.Difference.High!.Value));
        Assert.Equal(-0.5, conversion.Lift!.Value, 12);
        Assert.Equal(1, conversion.WindowDays);
    }

    [Fact]
    public void Without_a_holdout_group_there_is_no_difference_and_no_lift()
    {
        var (_, conversion) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, _ => false, 7);

        Assert.Equal((3L, 2L), (conversion.Treated.Entered, conversion.Treated.Converted)); // dee bought the day after entering
        Assert.Equal(new ConversionGroup(0, 0, 0, null, null, null), conversion.Control);
        Assert.Null(conversion.Difference);
        Assert.Null(conversion.Lift);
    }

    [Fact]
    public void A_holdout_without_conversions_gives_a_difference_but_no_lift()
    {
        var (_, conversion) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, customer => customer == "fay", 7);

        Assert.Equal(1.0, conversion.Difference!.Value);
        Assert.Null(conversion.Lift);
    }

    private static DateTimeOffset At(string monthDayTime) => DateTimeOffset.Parse($"2026-{monthDayTime}:00Z");

    private static PurchaseDay Day(string monthDay, double revenue) => new(UtcTime.Day(At($"{monthDay}T00:00")), revenue);
}
