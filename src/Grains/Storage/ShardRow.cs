namespace CustomerGrains.Grains.Storage;

/// <summary>
/// One stored row of a segment shard: a member, or the tombstone of a customer who left (kept so that a reloaded
/// shard still knows the leave's decision number).
/// </summary>
/// <param name="CustomerId">Whose row.</param>
/// <param name="IsMember">A member; false: a tombstone.</param>
/// <param name="At">When the customer entered; for a tombstone, when it left.</param>
/// <param name="Cause">Why it entered (or left).</param>
/// <param name="Decision">The number of the customer's decision that wrote the row (0: written before rows had one).</param>
public sealed record ShardRow(string CustomerId, bool IsMember, DateTimeOffset At, string Cause, long Decision);
