using CustomerGrains.Grains.Effectiveness;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>Which intervals a stats query covers, and which queries are refused (the field at fault is the 400's).</summary>
public sealed class StatsRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 15, 30, 20, TimeSpan.Zero);

    private static readonly DateTimeOffset Earliest = Now.AddDays(-7);

    [Theory]
    [InlineData(StatsInterval.Day, "2026-11-04T00:00:00Z", "2026-11-11T00:00:00Z", 7)]
    [InlineData(StatsInterval.Hour, "2026-11-09T16:00:00Z", "2026-11-10T16:00:00Z", 24)]
    [InlineData(StatsInterval.Minute, "2026-11-10T14:31:00Z", "2026-11-10T15:31:00Z", 60)]
    public void Without_from_and_to_the_range_ends_with_the_interval_now_is_in(StatsInterval interval, string from, string to, int count)
    {
        var range = StatsRange.Resolve(null, null, interval, Now, Earliest, out var problem);

        Assert.Null(problem);
        Assert.Equal((DateTimeOffset.Parse(from), DateTimeOffset.Parse(to), count), (range!.From, range.To, range.Count));
    }

    [Fact]
    public void From_is_rounded_down_and_to_up_to_whole_utc_intervals()
    {
        var range = StatsRange.Resolve(
            DateTimeOffset.Parse("2026-11-05T12:20:00+02:00"), DateTimeOffset.Parse("2026-11-06T01:00:00Z"), StatsInterval.Day, Now, Earliest, out _);

        Assert.Equal((DateTimeOffset.Parse("2026-11-05T00:00:00Z"), DateTimeOffset.Parse("2026-11-07T00:00:00Z"), 2), (range!.From, range.To, range.Count));
    }

    [Fact]
    public void Without_from_the_default_span_is_kept_within_the_feeds_retention()
    {
        var range = StatsRange.Resolve(null, null, StatsInterval.Day, Now, Now.AddDays(-2), out _);

        Assert.Equal((DateTimeOffset.Parse("2026-11-09T00:00:00Z"), 2), (range!.From, range.Count));
    }

    [Theory]
    [InlineData("2026-11-11T00:00:00Z", null, StatsInterval.Day, "from", "in the future")]
    [InlineData("2026-11-06T00:00:00Z", "2026-11-05T00:00:00Z", StatsInterval.Day, "from", "before to")]
    [InlineData("2026-11-03T12:00:00Z", null, StatsInterval.Day, "from", "retention")]
    [InlineData("2026-11-03T18:00:00Z", null, StatsInterval.Day, "from", "rounded down")]
    [InlineData(null, "2026-11-02T00:00:00Z", StatsInterval.Day, "to", "retention")]
    [InlineData("2026-11-08T00:00:00Z", null, StatsInterval.Minute, "interval", "at most 1000")]
    public void A_range_that_cannot_be_answered_names_the_field(string? from, string? to, StatsInterval interval, string field, string reason)
    {
        var range = StatsRange.Resolve(
            from is null ? null : DateTimeOffset.Parse(from), to is null ? null : DateTimeOffset.Parse(to), interval, Now, Earliest, out var problem);

        Assert.Null(range);
        Assert.Equal(field, problem!.Field);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_thousand_intervals_are_allowed()
    {
        var range = StatsRange.Resolve(Now.AddMinutes(-999), null, StatsInterval.Minute, Now, Earliest, out var problem);

        Assert.Null(problem);
        Assert.Equal(1000, range!.Count);
    }
}
