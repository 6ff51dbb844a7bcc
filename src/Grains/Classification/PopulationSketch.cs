namespace CustomerGrains.Grains.Classification;

/// <summary>
/// Mergeable per-store histograms of the customers with orders: revenue bucket, order count and last
/// order day. Customers send the change of their own entry (old out, new in); deltas merge by adding.
/// </summary>
[GenerateSerializer, Alias("cg.PopulationSketch")]
public sealed class PopulationSketch
{
    [Id(0)] public Dictionary<int, long> Revenue { get; set; } = [];

    [Id(1)] public Dictionary<int, long> Orders { get; set; } = [];

    [Id(2)] public Dictionary<int, long> LastOrderDay { get; set; } = [];

    public bool IsEmpty => Revenue.Count == 0 && Orders.Count == 0 && LastOrderDay.Count == 0;

    public void Apply(CustomerStats? removed, CustomerStats? added)
    {
        if (removed is not null)
        {
            Add(removed, -1);
        }

        if (added is not null)
        {
            Add(added, +1);
        }
    }

    public void Merge(PopulationSketch delta)
    {
        MergeInto(Revenue, delta.Revenue);
        MergeInto(Orders, delta.Orders);
        MergeInto(LastOrderDay, delta.LastOrderDay);
    }

    private void Add(CustomerStats stats, int sign)
    {
        Bump(Revenue, stats.RevenueBucket, sign);
        Bump(Orders, stats.Orders, sign);
        Bump(LastOrderDay, stats.LastOrderDay, sign);
    }

    private static void MergeInto(Dictionary<int, long> into, Dictionary<int, long> delta)
    {
        foreach (var (key, count) in delta)
        {
            Bump(into, key, count);
        }
    }

    private static void Bump(Dictionary<int, long> histogram, int key, long by)
    {
        var count = histogram.GetValueOrDefault(key) + by;
        if (count == 0)
        {
            histogram.Remove(key);
        }
        else
        {
            histogram[key] = count;
        }
    }
}
