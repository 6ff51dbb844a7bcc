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
/// One interval: members at its end (<c>size</c>), entries and exits in it, and (day intervals only, else null) the
/// purchase days and revenue of those who were members when the day began.
/// </summary>
public sealed record StatsIntervalResponse(
    DateTimeOffset Start, DateTimeOffset End, long Size, long Entered, long Exited, long? PurchaseDays, double? Revenue);
