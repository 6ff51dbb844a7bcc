namespace CustomerGrains.Grains.Effectiveness;

/// <summary>The period flows between segments are counted over: from <see cref="From"/> to <see cref="To"/>.</summary>
[GenerateSerializer, Immutable, Alias("cg.FlowRange")]
public sealed record FlowRange([property: Id(0)] DateTimeOffset From, [property: Id(1)] DateTimeOffset To)
{
    /// <summary>What a query without <c>from</c> covers: the 7 days before <c>to</c>.</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(7);

    /// <summary>
    /// The period a query asks for, pure: <paramref name="to"/> (default, and at most: now), and <paramref name="from"/>
    /// (default: 7 days before <c>to</c>, kept within the feed). Null, with the reason, when <c>from</c> is not before
    /// <c>to</c> or is before <paramref name="earliest"/> (the oldest instant after which the change feed still holds every
    /// change).
    /// </summary>
    public static FlowRange? Resolve(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, DateTimeOffset earliest, out QueryProblem? problem)
    {
        problem = null;
        if (from >= to || from >= now)
        {
            problem = new QueryProblem("from", from >= now ? "is in the future" : "must be before to");
            return null;
        }

        var end = to is { } t && t < now ? t : now;
        if (end <= earliest)
        {
            problem = new QueryProblem("to", $"is before the change feed's retention: the earliest is {UtcTime.Text(earliest)}");
            return null;
        }

        var start = from ?? (end - DefaultSpan > earliest ? end - DefaultSpan : earliest);
        if (start < earliest)
        {
            problem = new QueryProblem("from", $"is before the change feed's retention: the earliest is {UtcTime.Text(earliest)}");
            return null;
        }

        return new FlowRange(start, end);
    }
}
