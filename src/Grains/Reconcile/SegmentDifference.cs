using System.Collections.Immutable;

namespace CustomerGrains.Grains.Reconcile;

/// <summary>One segment's members against its recount: who is listed but should not be, and who is missing.</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentDifference")]
public sealed record SegmentDifference(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] long Members,
    [property: Id(2)] long Recount,
    [property: Id(3)] ImmutableArray<string> Extra,
    [property: Id(4)] ImmutableArray<string> Missing);
