namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// The intervals a segment's stats cover: whole UTC minutes, hours or days from <see cref="From"/> to <see cref="To"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.StatsRange")]
public sealed record StatsRange(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] StatsInterval Interval)
{
    /// <summary>At most this many intervals per read.</summary>
    public const int MaxIntervals = 1000;

    public TimeSpan Step => StepOf(Interval);

    public int Count => (int)((To - From).Ticks / Step.Ticks);

    public static TimeSpan StepOf(StatsInterval interval) => interval switch
    {
        StatsInterval.Minute => TimeSpan.FromMinutes(1),
        StatsInterval.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>What a query without <c>from</c> covers: the last 7 days by day, the last 24 hours by hour, the last hour by minute.</summary>
    public static TimeSpan DefaultSpan(StatsInterval interval) => interval switch
    {
        StatsInterval.Minute => TimeSpan.FromHours(1),
        StatsInterval.Hour => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>
    /// The range a query asks for, pure: <paramref name="from"/> rounded down and <paramref name="to"/> rounded up to whole
    /// intervals (without <c>to</c>: through the end of the interval now is in); without <paramref name="from"/>, the default span before <c>to</c>, kept within the
    /// feed. Null, with the reason, when <c>from</c> is in the future or not before <c>to</c>, when the range starts before
    /// <paramref name="earliest"/> (the oldest instant after which the change feed still holds every change: figures
    /// before it cannot be derived), or when it has more than <see cref="MaxIntervals"/> intervals.
    /// </summary>
    public static StatsRange? Resolve(
        DateTimeOffset? from, DateTimeOffset? to, StatsInterval interval, DateTimeOffset now, DateTimeOffset earliest, out QueryProblem? problem)
    {
        var step = StepOf(interval);
        var held = UtcTime.Ceiling(earliest, step);
        problem = null;
        if (from > now)
        {
            problem = new QueryProblem("from", "is in the future");
            return null;
        }

        if (from >= to)
        {
            problem = new QueryProblem("from", "must be before to");
            return null;
        }

        // Without to, through the interval now is in: what happened at this very instant is counted.
        var end = to is { } t ? UtcTime.Ceiling(t, step) : UtcTime.Floor(now, step) + step;
        if (end <= held)
        {
            problem = new QueryProblem("to", $"is before the change feed's retention: the earliest {Name(interval)} held starts at {UtcTime.Text(held)}");
            return null;
        }

        var start = from is { } f ? UtcTime.Floor(f, step) : Later(end - DefaultSpan(interval), held);
        if (start < held)
        {
            problem = new QueryProblem(
                "from", $"is before the change feed's retention (from is rounded down to a whole {Name(interval)}): the earliest is {UtcTime.Text(held)}");
            return null;
        }

        var range = new StatsRange(start, end, interval);
        if (range.Count > MaxIntervals)
        {
            problem = new QueryProblem(
                "interval", $"from {UtcTime.Text(start)} to {UtcTime.Text(end)} is {range.Count} intervals of a {Name(interval)}; at most {MaxIntervals}: ask for a longer interval or a shorter range");
            return null;
        }

        return range;
    }

    public static string Name(StatsInterval interval) => interval switch
    {
        StatsInterval.Minute => "minute",
        StatsInterval.Hour => "hour",
        _ => "day",
    };

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
