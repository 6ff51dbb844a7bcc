using System.Collections.Immutable;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>A read of the flows between segments (two or more, distinct) over a period (null ends take their defaults, <see cref="FlowRange.Resolve"/>).</summary>
[GenerateSerializer, Immutable, Alias("cg.FlowsQuery")]
public sealed record FlowsQuery(
    [property: Id(0)] ImmutableArray<string> Segments,
    [property: Id(1)] DateTimeOffset? From,
    [property: Id(2)] DateTimeOffset? To)
{
    public const int MaxSegments = 20;
}
