using CustomerGrains.Bench;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Tests.Infrastructure;

namespace CustomerGrains.Grains.Tests.Prediction;

public sealed class PurchaseModelsTests
{
    private static readonly BgNbdParameters TrueBgNbd = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaParameters TrueSpend = new(6.25, 3.74, 15.44);

    /// <summary>
    /// 20,000 customers drawn from the models (<see cref="PurchaseSimulation"/>, seed 7), first purchases spread over
    /// 52 weeks and observed until week 104, summarised in continuous time.
    /// </summary>
    private static readonly Lazy<RepeatSummary[]> Simulated = new(() =>
        [.. PurchaseSimulation.Customers(TrueBgNbd, TrueSpend, 20_000, cohort: 52, end: 104, seed: 7).Select(c => PurchaseSimulation.Summary(c, 104))]);

    [Fact]
    public void The_BG_NBD_fit_recovers_the_parameters_the_customers_were_drawn_from()
    {
        var fit = PurchaseModels.FitBgNbd(Simulated.Value);

        // Over 30 seeds, the fits' relative errors had standard deviations of about 1.5 % (r), 3 % (α), 5 % (a) and
        // 6 % (b): the tolerances are four of them. a and b move together; the mean dropout a/(a+b) is sharper.
        Assert.Equal(FitStatus.Converged, fit.Status);
        var p = fit.Parameters!;
        AssertWithinPercent(TrueBgNbd.R, p.R, 6);
        AssertWithinPercent(TrueBgNbd.Alpha, p.Alpha, 12);
        AssertWithinPercent(TrueBgNbd.A, p.A, 20);
        AssertWithinPercent(TrueBgNbd.B, p.B, 25);
        AssertWithinPercent(TrueBgNbd.A / (TrueBgNbd.A + TrueBgNbd.B), p.A / (p.A + p.B), 6);
    }

    [Fact]
    public void The_Gamma_Gamma_fit_recovers_the_parameters_the_spend_was_drawn_from()
    {
        var fit = PurchaseModels.FitGammaGamma(Simulated.Value);

        // Standard deviations over 30 seeds: about 5 % (p), 2.5 % (q), 7 % (γ); the population mean pγ/(q−1) is sharper.
        Assert.Equal(FitStatus.Converged, fit.Status);
        Assert.Equal(Simulated.Value.Count(c => c.X > 0), fit.Customers);
        var p = fit.Parameters!;
        AssertWithinPercent(TrueSpend.P, p.P, 20);
        AssertWithinPercent(TrueSpend.Q, p.Q, 10);
        AssertWithinPercent(TrueSpend.Gamma, p.Gamma, 30);
        AssertWithinPercent(TrueSpend.ExpectedMeanSpend(0, 0), p.ExpectedMeanSpend(0, 0), 5);
    }

    [Theory]
    [InlineData(50, 100)]
    [InlineData(0, 1)]
    [InlineData(99, 100)]
    public void Too_few_repeat_buyers_give_no_parameters(int repeatBuyers, int minimum)
    {
        RepeatSummary[] customers =
        [
            .. Simulated.Value.Where(c => c.X > 0).Take(repeatBuyers),
            .. Simulated.Value.Where(c => c.X == 0).Take(1000),
        ];
        var options = new FitOptions(MinRepeatBuyers: minimum);

        var bgNbd = PurchaseModels.FitBgNbd(customers, options);
        var spend = PurchaseModels.FitGammaGamma(customers, options);

        Assert.Equal((FitStatus.TooLittleData, null, repeatBuyers, repeatBuyers + 1000), (bgNbd.Status, bgNbd.Parameters, bgNbd.RepeatBuyers, bgNbd.Customers));
        Assert.Contains($"{repeatBuyers} of {repeatBuyers + 1000} customers have a repeat purchase", bgNbd.Message, StringComparison.Ordinal);
        Assert.Equal((FitStatus.TooLittleData, null, repeatBuyers), (spend.Status, spend.Parameters, spend.Customers));
        Assert.NotNull(spend.Message);
    }

    [Fact]
    public void A_fit_stopped_by_the_iteration_limit_says_so_and_keeps_the_best_parameters_found()
    {
        var options = new FitOptions(MaxIterations: 2);

        var bgNbd = PurchaseModels.FitBgNbd(Simulated.Value, options);
        var spend = PurchaseModels.FitGammaGamma(Simulated.Value, options);

        // Better than where the search starts (r = 1, α = ΣT/Σx, a = b = 1), short of the maximum.
        var start = new BgNbdParameters(1, Simulated.Value.Sum(c => c.T) / Simulated.Value.Sum(c => c.X), 1, 1);
        var startLogLikelihood = Simulated.Value.Sum(c => start.LogLikelihood(c.X, c.Tx, c.T));
        Assert.Equal(FitStatus.NotConverged, bgNbd.Status);
        Assert.NotNull(bgNbd.Parameters);
        Assert.InRange(bgNbd.LogLikelihood, startLogLikelihood + 1, PurchaseModels.FitBgNbd(Simulated.Value).LogLikelihood - 1e-3);
        Assert.Equal(2, bgNbd.Iterations);
        Assert.Contains("relative gradient", bgNbd.Message, StringComparison.Ordinal);
        Assert.Equal(FitStatus.NotConverged, spend.Status);
        Assert.NotNull(spend.Parameters);
    }

    [Theory]
    [InlineData(-1, 0, 10)]
    [InlineData(2, 11, 10)]
    [InlineData(2, -1, 10)]
    [InlineData(0, 0, double.NaN)]
    public void An_impossible_history_is_refused(int x, double tx, double T)
    {
        RepeatSummary[] customers = [.. Simulated.Value.Take(500), new(x, tx, T, 0)];

        Assert.Throws<ArgumentException>(() => PurchaseModels.FitBgNbd(customers));
    }

    [Fact]
    public void Fits_travel_intact()
    {
        var bgNbd = PurchaseModels.FitBgNbd(Simulated.Value);
        var spend = PurchaseModels.FitGammaGamma(Simulated.Value);
        var tooLittle = PurchaseModels.FitBgNbd([.. Simulated.Value.Take(10)]);

        Assert.Equal(bgNbd, TestSerialization.Serializer.Deserialize<BgNbdFit>(TestSerialization.Serializer.SerializeToArray(bgNbd)));
        Assert.Equal(spend, TestSerialization.Serializer.Deserialize<GammaGammaFit>(TestSerialization.Serializer.SerializeToArray(spend)));
        Assert.Equal(tooLittle, TestSerialization.Serializer.Deserialize<BgNbdFit>(TestSerialization.Serializer.SerializeToArray(tooLittle)));
    }

    private static void AssertWithinPercent(double expected, double actual, double percent) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Abs(expected) * percent / 100, $"expected {expected} ± {percent} %, got {actual}");
}
