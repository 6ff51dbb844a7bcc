using CustomerGrains.Grains.Effectiveness;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>The 95 % intervals against published values.</summary>
public sealed class ProportionsTests
{
    [Fact]
    public void The_normal_quantile_is_the_two_sided_95_percent_one()
    {
        Assert.Equal(1.959964, Proportions.Z, 6);
    }

    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17, table II,
    // method 3 (score, no continuity correction); and 8 of 20.
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    [InlineData(8, 20, 0.2188, 0.6134)]
    public void The_Wilson_interval_matches_the_published_table(long successes, long trials, double low, double high)
    {
        var interval = Proportions.Wilson(successes, trials);

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void The_Wilson_interval_of_all_or_nothing_reaches_the_end_exactly()
    {
        Assert.Equal(1.0, Proportions.Wilson(29, 29).High);
        Assert.Equal(0.0, Proportions.Wilson(0, 29).Low);
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(0, 0));
    }

    // Newcombe (1998), "Interval estimation for the difference between independent proportions", Statistics in
    // Medicine 17, table II, method 10 (hybrid score).
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void The_difference_interval_matches_Newcombes_table(long x1, long n1, long x2, long n2, double low, double high)
    {
        var interval = Proportions.Difference(x1, n1, x2, n2);

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void The_lift_interval_is_the_log_interval_of_the_ratio_and_none_without_a_conversion_in_both_groups()
    {
        // 20 % against 10 % of 100 each: ratio 2, standard error of its log √(1/20 − 1/100 + 1/10 − 1/100) = 0.3606, so
        // 2·e^(±1.96·0.3606) − 1.
        var lift = Proportions.Lift(20, 100, 10, 100);

        Assert.NotNull(lift);
        Assert.Equal(-0.0134, lift.Value.Low, 4);
        Assert.Equal(3.0545, lift.Value.High, 4);
        Assert.Null(Proportions.Lift(0, 100, 10, 100));
        Assert.Null(Proportions.Lift(20, 100, 0, 100));
    }
}
