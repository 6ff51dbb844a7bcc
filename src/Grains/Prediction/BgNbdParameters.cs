using MathNet.Numerics;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The BG/NBD purchase model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)):
/// while alive, a customer buys at a Poisson rate λ ~ Gamma(<paramref name="R"/>, <paramref name="Alpha"/>); after each
/// purchase it drops out with probability p ~ Beta(<paramref name="A"/>, <paramref name="B"/>). Times are in the
/// <see cref="ModelTimeUnit"/> the parameters were fitted in (α carries it).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.BgNbd")]
public sealed record BgNbdParameters(
    [property: Id(0)] double R,
    [property: Id(1)] double Alpha,
    [property: Id(2)] double A,
    [property: Id(3)] double B)
{
    /// <summary>
    /// P(alive | x, tx, T) = 1 / (1 + δ(x&gt;0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)) (FHL 2005). 1 when x = 0: in the
    /// BG/NBD a customer can only drop out right after a purchase, so one who never came back is still alive.
    /// </summary>
    public double PAlive(int x, double tx, double T) =>
        x == 0 ? 1 : 1 / (1 + Math.Exp(LogOddsOfDeath(x, tx, T)));

    /// <summary>
    /// An upper bound of <see cref="ExpectedPurchases"/>, cheap (no series): P(alive | x, tx, T) · (r+x)/(α+T) · t. Alive at
    /// T, the customer's rate has the posterior Gamma(r+x, α+T) (mean (r+x)/(α+T)), and while alive it buys at most as a
    /// Poisson process of that rate would over t (dropping out only takes purchases away); dead, it buys nothing. What
    /// rankings use to leave out customers who cannot reach the top (see <see cref="Clv.AtMost"/>).
    /// </summary>
    public double ExpectedPurchasesAtMost(double t, int x, double tx, double T) =>
        t <= 0 ? 0 : PAlive(x, tx, T) * (R + x) / (Alpha + T) * t;

    /// <summary>
    /// E[Y(t) | x, tx, T]: the purchases a customer with that history makes in the next <paramref name="t"/> units (FHL 2005 eq. 10):
    /// <code>
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive | x, tx, T)
    /// </code>
    /// 2F1 is summed by its series (<see cref="Hypergeometric"/>): MathNet.Numerics has none. The factor 1/(a−1) is a removable
    /// singularity at a = 1 (the bracket vanishes with it); within 1e-6 of 1 the value is the mean of those at a = 1 ± 1e-6
    /// (off by about 1e-10 relative: the curvature in a and the cancellation in the bracket). NaN when the series does not converge (t more than about 10⁴ times α + T).
    /// </summary>
    public double ExpectedPurchases(double t, int x, double tx, double T)
    {
        if (t <= 0)
        {
            return 0;
        }

        const double Near = 1e-6;
        if (Math.Abs(A - 1) < Near)
        {
            return (Conditional(1 - Near) + Conditional(1 + Near)) / 2;
        }

        return Conditional(A);

        double Conditional(double a)
        {
            var r = R + x;
            var log2F1 = Hypergeometric.Log2F1(r, B + x, a + B + x - 1, t / (Alpha + T + t));
            var h = Math.Exp((r * Math.Log((Alpha + T) / (Alpha + T + t))) + log2F1);
            var pAlive = x == 0 ? 1 : 1 / (1 + Math.Exp(LogOddsOfDeath(x, tx, T, a)));
            return (a + B + x - 1) / (a - 1) * (1 - h) * pAlive;
        }
    }

    /// <summary>
    /// One customer's log-likelihood (FHL 2005 eq. 6), in log-sum-exp form:
    /// <code>
    /// ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
    ///   − (r+x) ln(α+T) + δ(x&gt;0) · ln(1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x))
    /// </code>
    /// </summary>
    public double LogLikelihood(int x, double tx, double T)
    {
        var ll = SpecialFunctions.GammaLn(R + x) - SpecialFunctions.GammaLn(R) + (R * Math.Log(Alpha))
            + SpecialFunctions.GammaLn(A + B) + SpecialFunctions.GammaLn(B + x)
            - SpecialFunctions.GammaLn(B) - SpecialFunctions.GammaLn(A + B + x)
            - ((R + x) * Math.Log(Alpha + T));
        return x == 0 ? ll : ll + Softplus.Of(LogOddsOfDeath(x, tx, T));
    }

    /// <summary>ln of a/(b+x−1) · ((α+T)/(α+tx))^(r+x): the odds that a customer with this history has dropped out (x &gt; 0).</summary>
    private double LogOddsOfDeath(int x, double tx, double T, double? a = null) =>
        Math.Log(a ?? A) - Math.Log(B + x - 1) + ((R + x) * (Math.Log(Alpha + T) - Math.Log(Alpha + tx)));
}
