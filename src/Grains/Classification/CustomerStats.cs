namespace CustomerGrains.Grains.Classification;

/// <summary>What a customer contributes to its store's population statistics (only customers with orders do).</summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerStats")]
public sealed record CustomerStats(
    [property: Id(0)] int RevenueBucket,
    [property: Id(1)] int Orders,
    [property: Id(2)] int LastOrderDay)
{
    public static CustomerStats? Of(int orders, double revenue, DateTimeOffset? lastOrder) =>
        orders > 0 && lastOrder is { } last
            ? new CustomerStats(BucketOf(revenue), Math.Min(orders, 100_000), (int)(last.UtcTicks / TimeSpan.TicksPerDay))
            : null;

    /// <summary>Log buckets 5 % wide: fine enough for percentiles, small enough to merge and keep.</summary>
    public static int BucketOf(double revenue) =>
        revenue <= 0 ? 0 : 1 + (int)Math.Min(100_000, Math.Floor(Math.Log(revenue + 1, 1.05)));
}
