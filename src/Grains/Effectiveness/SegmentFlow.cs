namespace CustomerGrains.Grains.Effectiveness;

/// <summary>How many customers moved from segment <see cref="From"/> to segment <see cref="To"/> over a period (<see cref="FlowReplay"/>).</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentFlow")]
public sealed record SegmentFlow([property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Customers);
