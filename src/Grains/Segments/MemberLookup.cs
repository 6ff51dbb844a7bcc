namespace CustomerGrains.Grains.Segments;

/// <summary>Whether the segment exists and, if the customer is a member, since when and why.</summary>
[GenerateSerializer, Immutable, Alias("cg.MemberLookup")]
public sealed record MemberLookup(
    [property: Id(0)] bool SegmentExists,
    [property: Id(1)] SegmentMember? Member);
