namespace CustomerGrains.Grains.Customers;

/// <summary>
/// How a frozen customer learns the outcome (<see cref="ICustomerGrain.ThawAsync"/>): nothing was written
/// (<see cref="ThawKind.Unchanged"/>), its entry was committed with <see cref="Seq"/> (it applies <see cref="Entry"/> as a
/// replay would, and tells its deadline shard of <see cref="Deadline"/>), or the outcome is unknown (it gives up its activation;
/// the next one replays what was committed).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.Thaw")]
public sealed record Thaw(
    [property: Id(0)] Guid Token,
    [property: Id(1)] ThawKind Kind,
    [property: Id(2)] long Seq = 0,
    [property: Id(3)] JournalEntry? Entry = null,
    [property: Id(4)] DateTimeOffset? Deadline = null);
