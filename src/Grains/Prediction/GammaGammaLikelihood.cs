using MathNet.Numerics;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The Gamma-Gamma log-likelihood of the repeat buyers and its gradient, arranged so that one evaluation is cheap.
/// Customer i (x repeat purchases of mean value m) contributes (see <see cref="GammaGammaParameters.LogLikelihood"/>)
/// <code>
/// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m·x)
/// </code>
/// The Γ terms depend on x alone (summed once per distinct x), the ln m and ln x terms are linear in p (their sums
/// are taken once); only ln(γ + m·x) needs each customer, and customers with the same (x, m) are one weighted group.
/// </summary>
internal sealed class GammaGammaLikelihood
{
    private readonly double[] _x;          // distinct x
    private readonly double[] _xWeight;    // customers with that x
    private readonly Group[] _groups;      // customers by (x, m)
    private readonly double _sumXLogM;     // Σ x ln m
    private readonly double _sumLogM;      // Σ ln m
    private readonly double _sumXLogX;     // Σ x ln x

    private GammaGammaLikelihood(double[] x, double[] xWeight, Group[] groups, double sumXLogM, double sumLogM, double sumXLogX, double sumM)
    {
        (_x, _xWeight, _groups) = (x, xWeight, groups);
        (_sumXLogM, _sumLogM, _sumXLogX) = (sumXLogM, sumLogM, sumXLogX);
        Customers = (int)xWeight.Sum();
        MeanValue = Customers == 0 ? 0 : sumM / Customers;
    }

    /// <summary>Customers the model is fitted to: a repeat purchase and a positive, finite mean value.</summary>
    public int Customers { get; }

    /// <summary>The customers' mean of m: the scale γ starts from.</summary>
    public double MeanValue { get; }

    /// <summary>The repeat buyers of <paramref name="customers"/>; customers without a repeat purchase or with a mean value that is not positive are left out (the model has no density for them).</summary>
    public static GammaGammaLikelihood Of(IReadOnlyList<RepeatSummary> customers)
    {
        var (xIndex, x, xWeight) = (new Dictionary<int, int>(), new List<double>(), new List<double>());
        var (groupIndex, groups) = (new Dictionary<(int X, double M), int>(), new List<Group>());
        var (sumXLogM, sumLogM, sumXLogX, sumM) = (0.0, 0.0, 0.0, 0.0);
        foreach (var c in customers)
        {
            var m = c.RepeatMeanValue;
            if (c.X <= 0 || !(m > 0) || !double.IsFinite(m))
            {
                continue;
            }

            if (!xIndex.TryGetValue(c.X, out var xi))
            {
                xi = x.Count;
                xIndex.Add(c.X, xi);
                x.Add(c.X);
                xWeight.Add(0);
            }

            xWeight[xi]++;
            var logM = Math.Log(m);
            sumXLogM += c.X * logM;
            sumLogM += logM;
            sumXLogX += c.X * Math.Log(c.X);
            sumM += m;
            if (groupIndex.TryGetValue((c.X, m), out var gi))
            {
                groups[gi] = groups[gi] with { Weight = groups[gi].Weight + 1 };
            }
            else
            {
                groupIndex.Add((c.X, m), groups.Count);
                groups.Add(new Group(c.X, m * c.X, 1));
            }
        }

        return new GammaGammaLikelihood([.. x], [.. xWeight], [.. groups], sumXLogM, sumLogM, sumXLogX, sumM);
    }

    /// <summary>The log-likelihood at (p, q, γ), and in <paramref name="gradient"/> its derivatives by p, q, γ.</summary>
    public double Evaluate(double p, double q, double gamma, Span<double> gradient)
    {
        double n = Customers;
        var logGamma = Math.Log(gamma);
        var ll = (n * ((q * logGamma) - SpecialFunctions.GammaLn(q))) + (p * (_sumXLogM + _sumXLogX)) - _sumLogM;
        var dp = _sumXLogM + _sumXLogX;
        var dq = n * (logGamma - SpecialFunctions.DiGamma(q));
        var dGamma = n * q / gamma;
        for (var k = 0; k < _x.Length; k++)
        {
            var (x, w) = (_x[k], _xWeight[k]);
            var px = p * x;
            ll += w * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px));
            var psiPXQ = SpecialFunctions.DiGamma(px + q);
            dp += w * x * (psiPXQ - SpecialFunctions.DiGamma(px));
            dq += w * psiPXQ;
        }

        // −(px+q) ln(γ + m·x), the one term that needs each customer.
        var (sum, dpSum, dqSum, dGammaSum) = (0.0, 0.0, 0.0, 0.0);
        foreach (var g in _groups)
        {
            var total = gamma + g.Spend;
            var log = Math.Log(total);
            var weighted = g.Weight * ((p * g.X) + q);
            sum += weighted * log;
            dpSum += g.Weight * g.X * log;
            dqSum += g.Weight * log;
            dGammaSum += weighted / total;
        }

        gradient[0] = dp - dpSum;
        gradient[1] = dq - dqSum;
        gradient[2] = dGamma - dGammaSum;
        return ll - sum;
    }

    /// <summary>Customers with the same x and mean value m.</summary>
    /// <param name="X">x.</param>
    /// <param name="Spend">m·x: their repeat revenue.</param>
    /// <param name="Weight">How many.</param>
    private readonly record struct Group(double X, double Spend, double Weight);
}
