namespace CustomerGrains.Grains.Classification;

/// <summary>
/// A store's population (customers with orders) as distributions, and the pure classification of one
/// customer against it:
/// <list type="bullet">
/// <item>value tier by revenue: <c>high</c> when less than 20 % of customers spent more, <c>medium</c>
/// when less than 50 % did, else <c>low</c> (customers tied at the top all count as high) — or by the
/// store's fixed thresholds when it set them;</item>
/// <item>RFM scores 1–5 by quintile of recency (last order day), frequency (orders) and monetary
/// (revenue): 1 + ⌊5 × share strictly below⌋, so ties share the lower quintile;</item>
/// <item>the RFM class from the R×F map (<see cref="RfmClasses"/>).</item>
/// </list>
/// It also carries the store's fitted purchase models (<see cref="Models"/>), which customers read the same way and
/// which reach them by the same path: a refit is a change of the population like any other.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.PopulationThresholds")]
public sealed record PopulationThresholds(
    [property: Id(0)] Distribution Revenue,
    [property: Id(1)] Distribution Orders,
    [property: Id(2)] Distribution LastOrderDay,
    [property: Id(3)] ClassificationSettings? Settings = null,
    [property: Id(4)] Prediction.StoreModels? Models = null,
    [property: Id(5)] System.Collections.Immutable.ImmutableDictionary<string, Prediction.StoreLookalike>? Lookalikes = null,
    [property: Id(6)] RetentionSettings? Retention = null,
    [property: Id(7)] IdentitySettings? Identity = null)
{
    public static readonly PopulationThresholds Empty = new(
        Distribution.From([]), Distribution.From([]), Distribution.From([]));

    public long Customers => Revenue.Total;

    public static PopulationThresholds From(
        PopulationSketch sketch,
        ClassificationSettings? settings = null,
        Prediction.StoreModels? models = null,
        System.Collections.Immutable.ImmutableDictionary<string, Prediction.StoreLookalike>? lookalikes = null,
        RetentionSettings? retention = null,
        IdentitySettings? identity = null) => new(
        Distribution.From(sketch.Revenue), Distribution.From(sketch.Orders), Distribution.From(sketch.LastOrderDay), settings, models, lookalikes, retention, identity);

    /// <summary>The store's matching traits (its own, or <see cref="IdentitySettings.Default"/>).</summary>
    public IdentitySettings Matching => Identity ?? IdentitySettings.Default;

    /// <summary>The classification of one customer's stats; null when it has no order or there are no statistics.</summary>
    public CustomerClass? Classify(CustomerStats? stats, double revenue = 0)
    {
        if (stats is null || Customers == 0)
        {
            return null;
        }

        string tier;
        if (Settings is { HighFrom: { } high, MediumFrom: { } medium })
        {
            // The store's own thresholds, on the customer's exact revenue.
            tier = revenue >= high ? "high" : revenue >= medium ? "medium" : "low";
        }
        else
        {
            var above = Revenue.ShareAbove(stats.RevenueBucket);
            tier = above < 0.2 ? "high" : above < 0.5 ? "medium" : "low";
        }

        var r = Score(LastOrderDay.ShareBelow(stats.LastOrderDay));
        var f = Score(Orders.ShareBelow(stats.Orders));
        var m = Score(Revenue.ShareBelow(stats.RevenueBucket));
        return new CustomerClass(tier, r, f, m, RfmClasses.Of(r, f));
    }

    private static int Score(double shareBelow) => Math.Clamp(1 + (int)Math.Floor(5 * shareBelow + 1e-9), 1, 5);
}
