namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// One interval of a segment's stats: the members at its <see cref="End"/> (<see cref="Size"/>), the entries and exits in
/// [<see cref="Start"/>, <see cref="End"/>), and the purchases of the customers who were members when it began: the
/// <see cref="Orders"/> they placed in it and their <see cref="Revenue"/>, for every interval, and their
/// <see cref="PurchaseDays"/> for day intervals (null for minutes and hours). Orders (and, below a day, revenue) are null
/// when a counted customer's index row predates the orders and has a purchase day in the interval (see
/// <see cref="StatsReplay"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.IntervalStats")]
public sealed record IntervalStats(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] long Size,
    [property: Id(3)] long Entered,
    [property: Id(4)] long Exited,
    [property: Id(5)] long? PurchaseDays,
    [property: Id(6)] double? Revenue,
    [property: Id(7)] long? Orders = null);
