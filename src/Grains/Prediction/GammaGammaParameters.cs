using MathNet.Numerics;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005, "RFM and CLV: using iso-value curves for customer base
/// analysis", JMR 42(4); Fader &amp; Hardie 2013, "The Gamma-Gamma model of monetary value"): the value of each of a
/// customer's purchases is Gamma(<paramref name="P"/>, ν), and ν across customers is Gamma(<paramref name="Q"/>, <paramref name="Gamma"/>).
/// Spend is independent of how often a customer buys, so it pairs with any purchase-count model.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.GammaGamma")]
public sealed record GammaGammaParameters(
    [property: Id(0)] double P,
    [property: Id(1)] double Q,
    [property: Id(2)] double Gamma)
{
    /// <summary>
    /// E[Z | x, m]: a customer's expected value per purchase after x repeat purchases of mean value m,
    /// <code>
    /// p(γ + x·m) / (p·x + q − 1) = (q−1)/(p·x+q−1) · pγ/(q−1) + p·x/(p·x+q−1) · m
    /// </code>
    /// a weighted mean of the population's mean pγ/(q−1) and the customer's own m, the customer's weight growing with x.
    /// x = 0 gives the population mean. Infinite when p·x + q ≤ 1 (q ≤ 1: the population mean does not exist).
    /// </summary>
    public double ExpectedMeanSpend(int x, double meanValue)
    {
        var denominator = (P * x) + Q - 1;
        var ownSpend = x == 0 ? 0 : x * meanValue; // without repeat purchases there is no mean to weigh
        return denominator <= 0 ? double.PositiveInfinity : P * (Gamma + ownSpend) / denominator;
    }

    /// <summary>
    /// One customer's log-likelihood: the log density of its mean repeat value m over x &gt; 0 purchases,
    /// <code>
    /// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m·x)
    /// </code>
    /// NaN when x = 0 or m ≤ 0 (the model says nothing about them).
    /// </summary>
    public double LogLikelihood(int x, double meanValue)
    {
        if (x <= 0 || !(meanValue > 0))
        {
            return double.NaN;
        }

        var px = P * x;
        return SpecialFunctions.GammaLn(px + Q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(Q)
            + (Q * Math.Log(Gamma)) + ((px - 1) * Math.Log(meanValue)) + (px * Math.Log(x))
            - ((px + Q) * Math.Log(Gamma + (meanValue * x)));
    }
}
