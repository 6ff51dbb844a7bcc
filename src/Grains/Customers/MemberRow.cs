using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>A membership change as stored: which segment and shard, and the change itself.</summary>
[GenerateSerializer, Immutable, Alias("cg.MemberRow")]
public sealed record MemberRow(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] int Shard,
    [property: Id(2)] MembershipChange Change);
