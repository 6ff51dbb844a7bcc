using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Tests.Classification;

public sealed class ClassificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static CustomerStats Stats(double revenue, int orders, int daysAgo) =>
        CustomerStats.Of(orders, revenue, Now.AddDays(-daysAgo))!;

    /// <summary>Ten customers spending 100, 200, … 1000, with 1–10 orders, last seen 10–100 days ago.</summary>
    private static (PopulationThresholds Thresholds, CustomerStats[] Customers) Population()
    {
        var customers = Enumerable.Range(1, 10).Select(i => Stats(i * 100, i, 110 - (i * 10))).ToArray();
        var sketch = new PopulationSketch();
        foreach (var customer in customers)
        {
            sketch.Apply(null, customer);
        }

        return (PopulationThresholds.From(sketch), customers);
    }

    [Fact]
    public void The_top_fifth_by_revenue_is_high_the_next_three_tenths_medium_the_rest_low()
    {
        var (thresholds, customers) = Population();

        var tiers = customers.Select(c => thresholds.Classify(c)!.ValueTier).ToArray();

        Assert.Equal(["low", "low", "low", "low", "low", "medium", "medium", "medium", "high", "high"], tiers);
    }

    [Fact]
    public void RFM_scores_are_quintiles_and_the_class_follows_the_RF_map()
    {
        var (thresholds, customers) = Population();

        var best = thresholds.Classify(customers[^1])!;
        var worst = thresholds.Classify(customers[0])!;

        Assert.Equal((5, 5, 5, "champions"), (best.R, best.F, best.M, best.RfmClass));
        Assert.Equal((1, 1, 1, "lost"), (worst.R, worst.F, worst.M, worst.RfmClass));
        Assert.All(customers.Select(c => thresholds.Classify(c)!), c => Assert.InRange(c.R, 1, 5));
    }

    [Theory]
    [InlineData(5, 1, "new")]
    [InlineData(5, 5, "champions")]
    [InlineData(4, 4, "loyal")]
    [InlineData(3, 2, "need_attention")]
    [InlineData(3, 1, "about_to_sleep")]
    [InlineData(2, 3, "at_risk")]
    [InlineData(1, 5, "cannot_lose")]
    [InlineData(2, 1, "hibernating")]
    [InlineData(1, 1, "lost")]
    [InlineData(4, 2, "potential_loyalist")]
    [InlineData(4, 1, "promising")]
    public void The_RF_map_names_the_usual_classes(int r, int f, string expected) => Assert.Equal(expected, RfmClasses.Of(r, f));

    [Fact]
    public void A_store_can_fix_its_value_tier_thresholds()
    {
        var (population, customers) = Population();
        var fixedTiers = population with { Settings = new ClassificationSettings(HighFrom: 700, MediumFrom: 300) };

        var tiers = customers.Select((c, i) => fixedTiers.Classify(c, revenue: (i + 1) * 100)!.ValueTier).ToArray();

        Assert.Equal(["low", "low", "medium", "medium", "medium", "medium", "high", "high", "high", "high"], tiers);
    }

    [Theory]
    [InlineData(100.0, null, "both")]
    [InlineData(100.0, 200.0, "greater than")]
    [InlineData(100.0, -1.0, "at least 0")]
    public void Unusable_tier_thresholds_are_refused_with_the_reason(double? high, double? medium, string reason) =>
        Assert.Contains(reason, new ClassificationSettings(high, medium).Problem(), StringComparison.Ordinal);

    [Fact]
    public void Unusable_lifecycle_days_are_refused_and_usable_ones_pass()
    {
        Assert.Contains("increase", new ClassificationSettings(ActiveDays: 200, AtRiskDays: 100).Problem(), StringComparison.Ordinal);
        Assert.Null(new ClassificationSettings(NewDays: 7, ActiveDays: 30, AtRiskDays: 60, LapsedDays: 120).Problem());
        Assert.Null(ClassificationSettings.Default.Problem());
    }

    [Fact]
    public void Sketches_merge_by_adding_and_a_removed_customer_leaves_no_trace()
    {
        var a = new PopulationSketch();
        var b = new PopulationSketch();
        a.Apply(null, Stats(100, 1, 5));
        b.Apply(null, Stats(900, 3, 1));
        b.Apply(Stats(900, 3, 1), Stats(950, 4, 0));
        a.Merge(b);
        a.Apply(Stats(100, 1, 5), null);

        var only = PopulationThresholds.From(a);
        Assert.Equal(1, only.Customers);
        Assert.Equal("high", only.Classify(Stats(950, 4, 0))!.ValueTier);
        Assert.Null(only.Classify(null));
    }
}
