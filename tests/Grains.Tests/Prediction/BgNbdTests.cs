using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>The BG/NBD's per-customer formulas, at the CDNOW parameters of Fader, Hardie &amp; Lee (2005), in weeks.</summary>
public sealed class BgNbdTests
{
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void The_expected_purchases_of_the_published_worked_example_match()
    {
        // FHL's note on implementing the BG/NBD: a customer with 2 repeat purchases, the last at 30.43 weeks, observed
        // for 38.86 weeks, is expected to make 1.226 purchases in the next 39 weeks.
        Assert.Equal(1.226, Cdnow.ExpectedPurchases(39, 2, 30.43, 38.86), 3);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 10)]
    [InlineData(0, 100)]
    public void A_customer_who_never_came_back_is_alive(double tx, double T)
    {
        Assert.Equal(1, Cdnow.PAlive(0, tx, T));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 30.43)]
    [InlineData(10, 20)]
    [InlineData(40, 35)]
    public void The_longer_the_silence_since_the_last_purchase_the_less_likely_the_customer_is_alive(int x, double tx)
    {
        double[] times = [tx, tx + 1, tx + 5, tx + 20, tx + 100];

        var alive = times.Select(T => Cdnow.PAlive(x, tx, T)).ToArray();

        // Bought just now: dead only if it dropped out right after this purchase, with the posterior mean of p.
        Assert.Equal((Cdnow.B + x - 1) / (Cdnow.A + Cdnow.B + x - 1), alive[0], 12);
        Assert.All(alive.Zip(alive.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"P(alive) {pair.Second} after {pair.First}"));
        Assert.All(alive, p => Assert.InRange(p, 0, 1));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 0, 38.86)]
    [InlineData(2, 30.43, 38.86)]
    [InlineData(25, 50, 52)]
    public void No_time_no_purchases(int x, double tx, double T)
    {
        Assert.Equal(0, Cdnow.ExpectedPurchases(0, x, tx, T));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 0, 38.86)]
    [InlineData(2, 30.43, 38.86)]
    [InlineData(25, 50, 52)]
    [InlineData(300, 100, 100)]
    public void The_longer_the_horizon_the_more_purchases(int x, double tx, double T)
    {
        double[] horizons = [0.5, 1, 4, 13, 39, 104, 520];

        var expected = horizons.Select(t => Cdnow.ExpectedPurchases(t, x, tx, T)).ToArray();

        Assert.All(expected, e => Assert.True(double.IsFinite(e) && e > 0, $"E[Y] = {e}"));
        Assert.All(expected.Zip(expected.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"E[Y] {pair.Second} after {pair.First}"));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 5)]
    [InlineData(2, 30.43)]
    [InlineData(10, 20)]
    public void The_longer_the_silence_the_fewer_purchases_expected(int x, double tx)
    {
        double[] times = [tx, tx + 1, tx + 5, tx + 20, tx + 100];

        var expected = times.Select(T => Cdnow.ExpectedPurchases(39, x, tx, T)).ToArray();

        Assert.All(expected.Zip(expected.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"E[Y] {pair.Second} after {pair.First}"));
    }

    [Fact]
    public void The_expected_purchases_pass_smoothly_through_a_equal_to_1()
    {
        // 1/(a−1) is a removable singularity: a = 1 must give what its neighbours say, not NaN or a jump.
        double Expected(double a) => (Cdnow with { A = a }).ExpectedPurchases(39, 2, 30.43, 38.86);

        var atOne = Expected(1);

        Assert.Equal((Expected(1 - 1e-3) + Expected(1 + 1e-3)) / 2, atOne, 6);
        Assert.InRange(atOne, Expected(1 + 1e-3), Expected(1 - 1e-3));
    }

    [Fact]
    public void The_population_likelihood_is_the_sum_of_the_customers_and_its_gradient_is_the_slope()
    {
        RepeatSummary[] customers =
        [
            new(0, 0, 38.86, 0), new(0, 0, 38.86, 0), new(0, 0, 20, 0), new(2, 30.43, 38.86, 0),
            new(2, 30.43, 38.86, 0), new(1, 3, 10, 0), new(7, 35, 36, 0), new(30, 50, 52, 0),
        ];
        var likelihood = BgNbdLikelihood.Of(customers);
        double[] at = [0.5, 3, 1.7, 4];
        var gradient = new double[4];

        var ll = likelihood.Evaluate(at[0], at[1], at[2], at[3], gradient);

        var parameters = new BgNbdParameters(at[0], at[1], at[2], at[3]);
        Assert.Equal(customers.Sum(c => parameters.LogLikelihood(c.X, c.Tx, c.T)), ll, 9);
        Assert.Equal(4, likelihood.Groups); // 5 repeat buyers, two of them with the same history
        for (var i = 0; i < 4; i++)
        {
            var h = at[i] * 1e-6;
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[i] += h;
            down[i] -= h;
            var slope = (likelihood.Evaluate(up[0], up[1], up[2], up[3], new double[4]) - likelihood.Evaluate(down[0], down[1], down[2], down[3], new double[4])) / (2 * h);
            Assert.Equal(slope, gradient[i], 5);
        }
    }
}
