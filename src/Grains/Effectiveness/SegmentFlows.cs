using System.Collections.Immutable;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>The flows between the listed segments over a period: one per ordered pair, in the order the segments were listed.</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentFlows")]
public sealed record SegmentFlows(
    [property: Id(0)] FlowRange Range,
    [property: Id(1)] DateTimeOffset AsOf,
    [property: Id(2)] ImmutableArray<string> Segments,
    [property: Id(3)] ImmutableArray<SegmentFlow> Flows);
