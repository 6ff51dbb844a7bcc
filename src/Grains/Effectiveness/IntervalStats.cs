namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// One interval of a segment's stats: the members at its <see cref="End"/> (<see cref="Size"/>), the entries and exits in
/// [<see cref="Start"/>, <see cref="End"/>), and, for day intervals only (purchases are known per UTC day), the purchase
/// days and their revenue of the customers who were members when the day began. Null for minutes and hours.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.IntervalStats")]
public sealed record IntervalStats(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] long Size,
    [property: Id(3)] long Entered,
    [property: Id(4)] long Exited,
    [property: Id(5)] long? PurchaseDays,
    [property: Id(6)] double? Revenue);
