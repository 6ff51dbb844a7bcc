namespace CustomerGrains.Grains.Segments;

/// <summary>
/// What travels from a customer to a segment shard: the customer's current state for that segment.
/// Idempotent: applying it twice, or resending it after a crash, leaves the shard the same.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.MembershipChange")]
public sealed record MembershipChange(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] Guid SegmentUid,
    [property: Id(2)] bool IsMember,
    [property: Id(3)] DateTimeOffset EnteredAt,
    [property: Id(4)] string Cause);
