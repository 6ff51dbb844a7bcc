namespace CustomerGrains.Bench;

/// <summary>
/// The 20 segments a store would define, 8 of them on time windows and 2 on the store's models (P(alive) and a lookalike
/// score, which time also moves): what the load runs create and the evaluation bench compiles.
/// </summary>
internal static class BenchSegments
{
    public static readonly string[] Rules =
    [
        "orders >= 2", "orders >= 5", "revenue > 300", "revenue > 1000", "aov > 100", "orders == 0 and events >= 3",
        "count(visit, 30d) >= 3", "count(visit, 7d) >= 1", "count(visit, 90d) >= 6 and count(visit, 14d) == 0",
        "count(product_viewed where category == \"shoes\", 30d) >= 2", "count(cart_added, 7d) >= 1 and count(order_completed, 7d) == 0",
        "sum(order_completed.revenue, 365d) >= 500", "days_since(last_order) > 30", "days_since(last_seen) < 7",
        "count(product_viewed, 30d) >= 10", "profile.country in [\"ES\", \"MX\", \"AR\"]", "profile.country == \"DE\" and orders >= 1",
        "p_alive < 0.3 and revenue >= 500", "count(order_completed where revenue > 150, 365d) >= 1", "lookalike(\"bench-twins\") >= 0.7",
    ];

    /// <summary>The lookalike model the rules read: prospects who look like the customers of s03 (revenue over 1000).</summary>
    public const string Lookalike = """{"id": "bench-twins", "seed": "s03", "population": "orders == 0"}""";

    /// <summary>Whether a rule reads the store's models, which need data before they can be fitted (the load creates those segments after it).</summary>
    public static bool NeedsModels(string rule) => rule.Contains("p_alive", StringComparison.Ordinal) || rule.Contains("lookalike(", StringComparison.Ordinal);
}
