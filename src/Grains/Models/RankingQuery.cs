namespace CustomerGrains.Grains.Models;

/// <summary>
/// What to rank a store's customers by — <c>revenue</c>, <c>orders</c>, <c>clv</c>, <c>p_alive</c>,
/// <c>expected_orders_90d</c> or <c>lookalike:&lt;id&gt;</c> — in which direction, optionally within a segment, a page
/// after a cursor (the last value and customer id of the previous page).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RankingQuery")]
public sealed record RankingQuery(
    [property: Id(0)] string By,
    [property: Id(1)] bool Descending,
    [property: Id(2)] string? Segment,
    [property: Id(3)] int Limit,
    [property: Id(4)] double? AfterValue,
    [property: Id(5)] string? AfterId)
{
    public const string LookalikePrefix = "lookalike:";

    public static readonly IReadOnlySet<string> Measures =
        new HashSet<string>(["revenue", "orders", "clv", "p_alive", "expected_orders_90d"], StringComparer.Ordinal);
}
