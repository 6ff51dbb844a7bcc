using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>The Gamma-Gamma's per-customer formulas, at the CDNOW parameters of Fader &amp; Hardie (2013).</summary>
public sealed class GammaGammaTests
{
    private static readonly GammaGammaParameters Cdnow = new(6.25, 3.74, 15.44);

    private static double PopulationMean => Cdnow.P * Cdnow.Gamma / (Cdnow.Q - 1);

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(1000)]
    public void A_customer_without_repeat_purchases_is_expected_to_spend_the_population_mean(double meanValue)
    {
        Assert.Equal(PopulationMean, Cdnow.ExpectedMeanSpend(0, meanValue), 12);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(35)]
    [InlineData(300)]
    public void The_more_repeat_purchases_the_closer_the_expectation_to_the_customers_own_mean(double meanValue)
    {
        int[] repeats = [0, 1, 2, 5, 20, 100, 10_000];

        var expected = repeats.Select(x => Cdnow.ExpectedMeanSpend(x, meanValue)).ToArray();

        var distances = expected.Select(e => Math.Abs(e - meanValue)).ToArray();
        Assert.All(distances.Zip(distances.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} after {pair.First}"));
        Assert.All(expected, e => Assert.InRange(e, Math.Min(meanValue, PopulationMean), Math.Max(meanValue, PopulationMean)));
        Assert.Equal(meanValue, expected[^1], meanValue * 1e-3);
    }

    [Fact]
    public void Without_a_population_mean_the_expectation_is_infinite()
    {
        var heavyTailed = Cdnow with { Q = 0.8 };

        Assert.Equal(double.PositiveInfinity, heavyTailed.ExpectedMeanSpend(0, 20));
        Assert.True(double.IsFinite(heavyTailed.ExpectedMeanSpend(1, 20)));
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(3, 0)]
    [InlineData(3, -5)]
    public void The_model_has_no_likelihood_without_repeat_spend(int x, double meanValue)
    {
        Assert.True(double.IsNaN(Cdnow.LogLikelihood(x, meanValue)));
    }

    [Fact]
    public void The_population_likelihood_is_the_sum_of_the_customers_and_its_gradient_is_the_slope()
    {
        RepeatSummary[] customers =
        [
            new(0, 0, 30, 0), new(1, 3, 30, 0), new(1, 3, 30, 14.99), new(1, 3, 30, 14.99), new(2, 10, 30, 40),
            new(5, 20, 30, 22.5), new(40, 29, 30, 7),
        ];
        var likelihood = GammaGammaLikelihood.Of(customers);
        double[] at = [3, 2.5, 12];
        var gradient = new double[3];

        var ll = likelihood.Evaluate(at[0], at[1], at[2], gradient);

        var parameters = new GammaGammaParameters(at[0], at[1], at[2]);
        Assert.Equal(5, likelihood.Customers); // neither the one without repeat purchases nor the one with no value
        Assert.Equal(customers.Where(c => c.X > 0 && c.RepeatMeanValue > 0).Sum(c => parameters.LogLikelihood(c.X, c.RepeatMeanValue)), ll, 9);
        for (var i = 0; i < 3; i++)
        {
            var h = at[i] * 1e-6;
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[i] += h;
            down[i] -= h;
            var slope = (likelihood.Evaluate(up[0], up[1], up[2], new double[3]) - likelihood.Evaluate(down[0], down[1], down[2], new double[3])) / (2 * h);
            Assert.Equal(slope, gradient[i], 5);
        }
    }
}
