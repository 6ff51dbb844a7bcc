using CustomerGrains.Grains.Effectiveness;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>
/// A segment's stats replayed by hand: sizes, entries and exits, members' orders and revenue per minute, hour and day
/// (and purchase days by day), conversion by group; rows of the purchase index that predate the orders.
/// </summary>
public sealed class StatsReplayTests
{
    private static readonly StatsRange Days = new(At("11-01T00:00"), At("11-04T00:00"), StatsInterval.Day);

    private static readonly DateTimeOffset Now = At("11-03T11:00");

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

    private static readonly Dictionary<string, PurchaseHistory> Purchases = new()
    {
        ["cy"] = Orders(("11-01T10:00", 10), ("11-01T15:00", 4), ("11-03T09:00", 5)),
        ["ann"] = Orders(("11-01T09:00", 20), ("11-02T10:00", 7), ("11-02T10:45", 3), ("11-02T12:10", 11), ("11-03T09:30", 30)),
        ["bob"] = Orders(("11-01T07:00", 40)),
        ["dee"] = Orders(("11-02T12:30", 8), ("11-02T13:15", 9), ("11-03T06:00", 50)),
        ["eve"] = Orders(("11-02T05:00", 60)),
        ["fay"] = Orders(("11-03T01:00", 70)), // the order that made her enter: at the entry's instant
        ["zed"] = Orders(("11-02T09:00", 99), ("11-02T10:00", 1)), // never a member
    };

    [Fact]
    public void Each_day_has_its_size_at_the_end_its_entries_and_exits_and_the_purchases_of_those_who_were_members_when_it_began()
    {
        var (intervals, _) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, _ => false, 1);

        Assert.Equal(
            [
                // ann in, bob out; cy's two orders and bob's (ann entered after the day began)
                (At("11-01T00:00"), 3L, 1L, 1L, 3L, 2L, 54.0),
                // eve and ann out, dee in; ann's three orders and eve's (dee entered during the day)
                (At("11-02T00:00"), 2L, 1L, 2L, 4L, 2L, 81.0),
                // fay and ann in; cy's and dee's (fay and ann entered during the day)
                (At("11-03T00:00"), 4L, 2L, 0L, 2L, 2L, 55.0),
            ],
            intervals.Select(i => (i.Start, i.Size, i.Entered, i.Exited, i.Orders!.Value, i.PurchaseDays!.Value, i.Revenue!.Value)));
        Assert.Equal(Members.Count, intervals[^1].Size);
    }

    [Fact]
    public void Each_hour_counts_the_orders_and_revenue_of_those_who_were_members_when_the_hour_began()
    {
        var hours = new StatsRange(At("11-02T08:00"), At("11-02T14:00"), StatsInterval.Hour);

        var (intervals, _) = StatsReplay.Compute(hours, Now, Members, Changes, Purchases, _ => false, 1);

        Assert.Equal(
            [
                (At("11-02T08:00"), 3L, 0L, 0.0),
                (At("11-02T09:00"), 2L, 0L, 0.0), // zed is no member
                (At("11-02T10:00"), 2L, 2L, 10.0), // ann's two orders in one hour
                (At("11-02T11:00"), 2L, 0L, 0.0),
                (At("11-02T12:00"), 3L, 1L, 11.0), // ann's; dee entered at 12:00, so her 12:30 order is not the segment's
                (At("11-02T13:00"), 2L, 1L, 9.0), // dee's, a member since 12:00
            ],
            intervals.Select(i => (i.Start, i.Size, i.Orders!.Value, i.Revenue!.Value)));
        Assert.All(intervals, i => Assert.Null(i.PurchaseDays));
    }

    [Fact]
    public void Each_minute_counts_the_orders_placed_in_it()
    {
        var minutes = new StatsRange(At("11-02T10:00"), At("11-02T11:00"), StatsInterval.Minute);

        var (intervals, _) = StatsReplay.Compute(minutes, Now, Members, Changes, Purchases, _ => false, 1);

        Assert.Equal(60, intervals.Length);
        Assert.Equal(
            [(At("11-02T10:00"), 1L, 7.0), (At("11-02T10:45"), 1L, 3.0)],
            intervals.Where(i => i.Orders > 0).Select(i => (i.Start, i.Orders!.Value, i.Revenue!.Value)));
        Assert.All(intervals, i => Assert.Equal(2L, i.Size));
        Assert.Equal(10.0, intervals.Sum(i => i.Revenue!.Value));
    }

    [Fact]
    public void A_customer_whose_row_has_only_purchase_days_leaves_the_order_count_unknown_where_its_days_fall()
    {
        // cy's row predates the orders: its days are known (two orders on 11-01 are one day of 14), its orders are not.
        var purchases = new Dictionary<string, PurchaseHistory>(Purchases)
        {
            ["cy"] = PurchaseHistory.OfDaysOnly([Day("11-01", 14), Day("11-03", 5)]),
        };

        var (days, _) = StatsReplay.Compute(Days, Now, Members, Changes, purchases, _ => false, 1);
        var (hours, _) = StatsReplay.Compute(new StatsRange(At("11-02T22:00"), At("11-03T02:00"), StatsInterval.Hour), Now, Members, Changes, purchases, _ => false, 1);

        // By day: purchase days and revenue as before, orders unknown on cy's days.
        Assert.Equal<(long?, long, double)>(
            [(null, 2L, 54.0), (4L, 2L, 81.0), (null, 2L, 55.0)],
            days.Select(i => (i.Orders, i.PurchaseDays!.Value, i.Revenue!.Value)));

        // By hour: within cy's day of 11-03 neither orders nor revenue are known; the hours before it are exact.
        Assert.Equal<(long?, double?)>(
            [(0L, 0.0), (0L, 0.0), (null, null), (null, null)],
            hours.Select(i => (i.Orders, i.Revenue)));
    }

    [Fact]
    public void Conversion_counts_each_customers_first_entry_in_the_range_and_orders_placed_after_it_within_the_window()
    {
        // ann (first entry 11-01 08:00) ordered at 09:00: converted; fay's only order is the one that made her enter: not
        // (yet); dee is control and ordered half an hour after entering.
        var (_, conversion) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, customer => customer == "dee", 1);

        Assert.Equal(new ConversionGroup(2, 1, 1, 0.5, Proportions.Wilson(1, 2).Low, Proportions.Wilson(1, 2).High), conversion.Treated);
        Assert.Equal(new ConversionGroup(1, 1, 1, 1.0, Proportions.Wilson(1, 1).Low, 1.0), conversion.Control);
        Assert.Equal(-0.5, conversion.Difference!.Value);
        Assert.Equal(Proportions.Difference(1, 2, 1, 1), (conversion.Difference.Low!.Value, conversion.Difference.High!.Value));
        Assert.Equal(-0.5, conversion.Lift!.Value, 12);
        Assert.Equal(1, conversion.WindowDays);
    }

    [Theory]
    [InlineData("11-02T12:00", false)] // at the entry's instant: the order that made dee enter
    [InlineData("11-02T12:01", true)] // on the entry's own day, after it
    [InlineData("11-03T12:00", true)] // the window's last instant
    [InlineData("11-03T12:01", false)] // after the window
    [InlineData("11-02T11:00", false)] // before entering
    public void An_order_converts_when_it_was_placed_after_the_entry_and_at_most_the_window_later(string at, bool converted)
    {
        var purchases = new Dictionary<string, PurchaseHistory> { ["dee"] = Orders((at, 10)) };

        var (_, conversion) = StatsReplay.Compute(Days, At("11-03T23:00"), Members, Changes, purchases, customer => customer != "dee", 1);

        Assert.Equal((1L, converted ? 1L : 0L, 0L), (conversion.Treated.Entered, conversion.Treated.Converted, conversion.Treated.WindowOpen));
    }

    [Fact]
    public void A_customer_whose_row_has_only_purchase_days_converts_by_them_as_before_the_orders_were_kept()
    {
        // dee entered on 11-02: a purchase day that same day does not count, one the next day does.
        var sameDay = new Dictionary<string, PurchaseHistory> { ["dee"] = PurchaseHistory.OfDaysOnly([Day("11-02", 10)]) };
        var nextDay = new Dictionary<string, PurchaseHistory> { ["dee"] = PurchaseHistory.OfDaysOnly([Day("11-03", 10)]) };

        var (_, notConverted) = StatsReplay.Compute(Days, Now, Members, Changes, sameDay, customer => customer != "dee", 1);
        var (_, converted) = StatsReplay.Compute(Days, Now, Members, Changes, nextDay, customer => customer != "dee", 1);

        Assert.Equal((0L, 1L), (notConverted.Treated.Converted, notConverted.Treated.WindowOpen)); // 11-03 has not ended
        Assert.Equal(1L, converted.Treated.Converted);
    }

    [Fact]
    public void Without_a_holdout_group_there_is_no_difference_and_no_lift()
    {
        var (_, conversion) = StatsReplay.Compute(Days, Now, Members, Changes, Purchases, _ => false, 7);

        Assert.Equal((3L, 2L), (conversion.Treated.Entered, conversion.Treated.Converted)); // ann and dee
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

    private static PurchaseHistory Orders(params (string At, double Revenue)[] orders) =>
        PurchaseHistory.OfOrders(PurchaseSummaries.Orders(orders.Select(o => (At(o.At), o.Revenue))));
}
