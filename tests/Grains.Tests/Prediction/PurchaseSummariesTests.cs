using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

public sealed class PurchaseSummariesTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static int DayOf(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);

    [Fact]
    public void Orders_of_one_UTC_day_are_one_purchase_day_with_their_revenue_summed()
    {
        (DateTimeOffset, double)[] orders =
        [
            (Jan1.AddDays(2).AddHours(20), 5),
            (Jan1.AddHours(9), 10),
            (new DateTimeOffset(2026, 1, 1, 23, 30, 0, TimeSpan.FromHours(-2)), 7), // 01:30 UTC on Jan 2
            (Jan1.AddHours(23), 2.5),
            (new DateTimeOffset(2026, 1, 4, 1, 0, 0, TimeSpan.FromHours(2)), 1), // 23:00 UTC on Jan 3
        ];

        var days = PurchaseSummaries.Days(orders);

        PurchaseDay[] expected = [new(DayOf(Jan1), 12.5), new(DayOf(Jan1) + 1, 7), new(DayOf(Jan1) + 2, 6)];
        Assert.Equal(expected, days);
    }

    [Fact]
    public void No_orders_no_days()
    {
        Assert.Empty(PurchaseSummaries.Days(Array.Empty<(DateTimeOffset, double)>()));
        Assert.Empty(PurchaseSummaries.Days(ReadOnlySpan<PurchaseOrder>.Empty));
    }

    // Purchase days on Jan 1 (revenue 10), Jan 8 (20) and Jan 15 (60).
    [Theory]
    [InlineData("2026-01-01T00:00Z", 0, 0, 0, 0)] // the first day's midnight counts it
    [InlineData("2026-01-07T12:00Z", 0, 0, 6.5, 0)]
    [InlineData("2026-01-08T00:00Z", 1, 7, 7, 20)] // a day counts from its midnight
    [InlineData("2026-01-14T23:59Z", 1, 7, 13.99930555555556, 20)]
    [InlineData("2026-01-15T00:00Z", 2, 14, 14, 40)] // the mean revenue of the repeat days only
    [InlineData("2026-03-01T00:00Z", 2, 14, 59, 40)]
    public void A_summary_counts_the_days_whose_midnight_is_at_or_before_the_moment(string asOf, int x, double txDays, double tDays, double meanValue)
    {
        PurchaseDay[] days = [new(DayOf(Jan1), 10), new(DayOf(Jan1) + 7, 20), new(DayOf(Jan1) + 14, 60)];

        var at = DateTimeOffset.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture);

        var inDays = PurchaseSummaries.Of(days, at, ModelTimeUnit.Day)!.Value;
        var inWeeks = PurchaseSummaries.Of(days, at, ModelTimeUnit.Week)!.Value;

        Assert.Equal((x, txDays, meanValue), (inDays.X, inDays.Tx, inDays.RepeatMeanValue));
        Assert.Equal(tDays, inDays.T, 9);
        Assert.Equal((x, txDays / 7, meanValue), (inWeeks.X, inWeeks.Tx, inWeeks.RepeatMeanValue));
        Assert.Equal(tDays / 7, inWeeks.T, 9);
    }

    [Fact]
    public void Before_the_first_purchase_day_there_is_no_summary()
    {
        PurchaseDay[] days = [new(DayOf(Jan1), 10)];

        Assert.Null(PurchaseSummaries.Of(days, Jan1.AddTicks(-1), ModelTimeUnit.Day));
        Assert.Null(PurchaseSummaries.Of([], Jan1, ModelTimeUnit.Day));
    }

    [Theory]
    [InlineData(0, 0)] // the same day twice
    [InlineData(3, 1)] // descending
    public void Days_that_are_not_ascending_and_distinct_are_refused(int first, int second)
    {
        PurchaseDay[] days = [new(DayOf(Jan1) + first, 1), new(DayOf(Jan1) + second, 1)];

        Assert.Throws<ArgumentException>(() => PurchaseSummaries.Of(days, Jan1.AddDays(10), ModelTimeUnit.Day));
    }

    [Theory]
    [InlineData(ModelTimeUnit.Day, 36, 1.5)]
    [InlineData(ModelTimeUnit.Week, 84, 0.5)]
    [InlineData(ModelTimeUnit.Week, 0, 0)]
    public void A_span_in_units(ModelTimeUnit unit, double hours, double expected)
    {
        Assert.Equal(expected, PurchaseSummaries.Units(TimeSpan.FromHours(hours), unit));
    }
}
