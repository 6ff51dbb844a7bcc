namespace CustomerGrains.Grains.Segments;

/// <summary>
/// A customer's membership of one incarnation (<see cref="SegmentUid"/>) of a segment, and why it began:
/// <c>event:{id}</c> for the event that moved the customer in, <c>backfill:v{n}</c> for a definition change.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.Membership")]
public sealed record Membership(
    [property: Id(0)] Guid SegmentUid,
    [property: Id(1)] DateTimeOffset EnteredAt,
    [property: Id(2)] string Cause);
