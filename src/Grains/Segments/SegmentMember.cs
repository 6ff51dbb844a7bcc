namespace CustomerGrains.Grains.Segments;

/// <summary>One member of a segment: who, since when, and the cause (<c>event:{id}</c> or <c>segment:{id}:v{n}</c>).</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentMember")]
public sealed record SegmentMember(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset EnteredAt,
    [property: Id(2)] string Cause);
