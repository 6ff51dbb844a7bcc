namespace CustomerGrains.Grains.Effectiveness;

/// <summary>The flows between segments, or why there are none: a segment that does not exist (<see cref="NotFound"/>), or a query that cannot be answered.</summary>
[GenerateSerializer, Immutable, Alias("cg.FlowsResult")]
public sealed record FlowsResult(
    [property: Id(0)] SegmentFlows? Flows,
    [property: Id(1)] string? NotFound = null,
    [property: Id(2)] QueryProblem? Problem = null);
