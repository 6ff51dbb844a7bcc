namespace CustomerGrains.Grains.Classification;

/// <summary>
/// A store's population (customers with orders) as distributions, and the pure classification of one
/// customer against it:
/// <list type="bullet">
/// <item>value tier by revenue: <c>high</c> when less than 20 % of customers spent more, <c>medium</c>
/// when less than 50 % did, else <c>low</c> (customers tied at the top all count as high);</item>
/// <item>RFM scores 1–5 by quintile of recency (last order day), frequency (orders) and monetary
/// (revenue): 1 + ⌊5 × share strictly below⌋, so ties share the lower quintile;</item>
/// <item>the RFM class from the R×F map (<see cref="RfmClasses"/>).</item>
/// </list>
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.PopulationThresholds")]
public sealed record PopulationThresholds(
    [property: Id(0)] Distribution Revenue,
    [property: Id(1)] Distribution Orders,
    [property: Id(2)] Distribution LastOrderDay)
{
    public static readonly PopulationThresholds Empty = new(
        Distribution.From([]), Distribution.From([]), Distribution.From([]));

    public long Customers => Revenue.Total;

    public static PopulationThresholds From(PopulationSketch sketch) => new(
        Distribution.From(sketch.Revenue), Distribution.From(sketch.Orders), Distribution.From(sketch.LastOrderDay));

    /// <summary>The classification of one customer's stats; null when it has no order or there are no statistics.</summary>
    public CustomerClass? Classify(CustomerStats? stats)
    {
        if (stats is null || Customers == 0)
        {
            return null;
        }

        var above = Revenue.ShareAbove(stats.RevenueBucket);
        var tier = above < 0.2 ? "high" : above < 0.5 ? "medium" : "low";
        var r = Score(LastOrderDay.ShareBelow(stats.LastOrderDay));
        var f = Score(Orders.ShareBelow(stats.Orders));
        var m = Score(Revenue.ShareBelow(stats.RevenueBucket));
        return new CustomerClass(tier, r, f, m, RfmClasses.Of(r, f));
    }

    private static int Score(double shareBelow) => Math.Clamp(1 + (int)Math.Floor(5 * shareBelow + 1e-9), 1, 5);
}
