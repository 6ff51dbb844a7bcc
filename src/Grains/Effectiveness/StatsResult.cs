namespace CustomerGrains.Grains.Effectiveness;

/// <summary>A segment's stats, or why there are none: no such segment (<see cref="NotFound"/>), or a query that cannot be answered.</summary>
[GenerateSerializer, Immutable, Alias("cg.StatsResult")]
public sealed record StatsResult(
    [property: Id(0)] SegmentStats? Stats,
    [property: Id(1)] string? NotFound = null,
    [property: Id(2)] QueryProblem? Problem = null);
