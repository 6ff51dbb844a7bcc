using System.Collections.Immutable;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A segment's effectiveness over a range: its serving <see cref="Version"/> (the figures are of that version) and holdout
/// percentage, each interval's size, entries, exits and members' purchases, and the conversion of those who entered.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentStats")]
public sealed record SegmentStats(
    [property: Id(0)] string Segment,
    [property: Id(1)] long Version,
    [property: Id(2)] int Holdout,
    [property: Id(3)] StatsRange Range,
    [property: Id(4)] DateTimeOffset AsOf,
    [property: Id(5)] ImmutableArray<IntervalStats> Intervals,
    [property: Id(6)] Conversion Conversion);
