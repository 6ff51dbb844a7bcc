using Orleans.Concurrency;

namespace CustomerGrains.Grains.Deadlines;

/// <summary>
/// The due times of one hash range of a store's customers (key: <c>{store}/{shard}</c>), kept ordered
/// with one timer for the earliest: not one Orleans timer or reminder per customer. At a due time it
/// wakes the customers, which re-evaluate and register their next deadline.
/// </summary>
[Alias("cg.IDeadlineGrain")]
public interface IDeadlineGrain : IGrainWithStringKey
{
    /// <summary>Sets (or, with null, clears) a customer's next deadline. In memory; the row is the customer's to write.</summary>
    [Alias("Set"), AlwaysInterleave]
    Task SetAsync(string customerId, DateTimeOffset? due);

    /// <summary>Makes sure the shard is active and its timer armed (after a restart).</summary>
    [Alias("Wake"), AlwaysInterleave]
    Task WakeAsync();

    /// <summary>Wakes every customer whose deadline has come.</summary>
    [Alias("Fire")]
    Task FireAsync();
}
