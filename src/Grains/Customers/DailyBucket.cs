namespace CustomerGrains.Grains.Customers;

/// <summary>Per-type, per-day totals: answer long windows after the detailed events have been evicted.</summary>
[GenerateSerializer, Alias("cg.DailyBucket")]
public sealed class DailyBucket
{
    [Id(0)] public long Count { get; set; }

    /// <summary>Sum of the <c>revenue</c> property of the day's events of this type.</summary>
    [Id(1)] public double Revenue { get; set; }
}
