namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A read of a segment's stats: the range (null ends take their defaults, <see cref="StatsRange.Resolve"/>), the interval,
/// and the conversion window in days.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.StatsQuery")]
public sealed record StatsQuery(
    [property: Id(0)] string Segment,
    [property: Id(1)] DateTimeOffset? From,
    [property: Id(2)] DateTimeOffset? To,
    [property: Id(3)] StatsInterval Interval,
    [property: Id(4)] int WindowDays)
{
    public const int DefaultWindowDays = 7;

    public const int MaxWindowDays = 90;
}
