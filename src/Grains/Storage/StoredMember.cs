namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A membership row to store for the writing customer: a member of one shard of one segment version, or the
/// tombstone of a leave (<see cref="IsMember"/> false), with the number of the customer's decision that wrote it.
/// </summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="SegmentUid">The segment version's incarnation.</param>
/// <param name="Shard">The shard of that version holding the customer.</param>
/// <param name="IsMember">A member; false: a tombstone.</param>
/// <param name="At">When the customer entered; for a tombstone, when it left.</param>
/// <param name="Cause">Why.</param>
/// <param name="Decision">The customer's decision number.</param>
public readonly record struct StoredMember(string SegmentId, Guid SegmentUid, int Shard, bool IsMember, DateTimeOffset At, string Cause, long Decision);
