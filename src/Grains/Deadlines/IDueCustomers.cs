namespace CustomerGrains.Grains.Deadlines;

/// <summary>
/// Whom a deadline shard wakes: the customer whose deadline came. Defined here and implemented by the customers' room,
/// so that deadlines do not depend on the customer grain that registers them (docs/ARCHITECTURE.md).
/// </summary>
public interface IDueCustomers
{
    Task WakeAsync(string store, string customerId, DateTimeOffset due);
}
