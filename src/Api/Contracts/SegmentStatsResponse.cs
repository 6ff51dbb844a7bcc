namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A segment's stats over whole UTC intervals from <c>from</c> to <c>to</c>, of its serving <c>version</c>, with its
/// <c>holdout</c> percentage; <c>asOf</c> is the instant they were read at.
/// </summary>
public sealed record SegmentStatsResponse(
    string Segment,
    long Version,
    int Holdout,
    DateTimeOffset From,
    DateTimeOffset To,
    string Interval,
    DateTimeOffset AsOf,
    IReadOnlyList<StatsIntervalResponse> Intervals,
    ConversionResponse Conversion);

/// <summary>
/// One interval: members at its end (<c>size</c>), entries and exits in it, and the orders placed in it and their
/// revenue by those who were members when it began, with (day intervals only, else null) their purchase days. Orders
/// (and, below a day, revenue) are null while a counted customer's purchase row predates the orders (schema migration 9).
/// </summary>
public sealed record StatsIntervalResponse(
    DateTimeOffset Start, DateTimeOffset End, long Size, long Entered, long Exited, long? Orders, long? PurchaseDays, double? Revenue);
