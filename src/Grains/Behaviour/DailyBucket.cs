namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// One day's totals as snapshots written before <see cref="DayTotal"/> hold them (a class per day in a dictionary
/// per type): only read, into <see cref="CustomerState.Daily"/>, when such a snapshot loads.
/// </summary>
[GenerateSerializer, Alias("cg.DailyBucket")]
public sealed class DailyBucket
{
    [Id(0)] public long Count { get; set; }

    /// <summary>Sum of the <c>revenue</c> property of the day's events of this type.</summary>
    [Id(1)] public double Revenue { get; set; }
}
