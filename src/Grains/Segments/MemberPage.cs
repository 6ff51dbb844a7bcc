using System.Collections.Immutable;

namespace CustomerGrains.Grains.Segments;

/// <summary>A page of members ordered by customer id; <see cref="After"/> is the last id, for the next page.</summary>
[GenerateSerializer, Immutable, Alias("cg.MemberPage")]
public sealed record MemberPage(
    [property: Id(0)] ImmutableArray<SegmentMember> Items,
    [property: Id(1)] string? After);
