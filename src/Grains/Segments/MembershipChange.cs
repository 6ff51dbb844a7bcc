namespace CustomerGrains.Grains.Segments;

/// <summary>
/// What travels from a customer to a segment shard: the customer's current state for that segment.
/// Idempotent: applying it twice, or resending it after a crash, leaves the shard the same.
/// <para>
/// <see cref="Decision"/> orders one customer's changes: the number of the customer's membership decision that
/// made it, counted across activations and erasures (<see cref="Behaviour.CustomerState.Decisions"/>). A shard
/// drops a change older than the last one it applied for that customer, so a late delivery cannot undo a newer
/// decision. One can arrive late: an activation on a silo frozen while it replayed its journal sends what it read
/// once it thaws, in the seconds before it learns the cluster declared it dead and moved the customer. 0: written
/// before decisions were numbered; always applied.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.MembershipChange")]
public sealed record MembershipChange(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] Guid SegmentUid,
    [property: Id(2)] bool IsMember,
    [property: Id(3)] DateTimeOffset EnteredAt,
    [property: Id(4)] string Cause,
    [property: Id(5)] long Decision = 0);
