namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The Gauss hypergeometric function 2F1 by its power series. MathNet.Numerics has no 2F1, and the BG/NBD needs it
/// only for 0 ≤ z &lt; 1 with positive parameters, where the series converges and every term is positive (no cancellation).
/// </summary>
internal static class Hypergeometric
{
    /// <summary>More terms than this and the series is given up: z within about 4e-5 of 1, far beyond any sensible horizon.</summary>
    public const int MaxTerms = 1_000_000;

    private const double Rescale = 1e200;
    private static readonly double LogRescale = Math.Log(Rescale);

    /// <summary>
    /// ln 2F1(a, b; c; z) = ln Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for a, b, c &gt; 0 and 0 ≤ z &lt; 1. The sum is rescaled when it grows
    /// large (terms grow for a while when a + b &gt; c and z is near 1), so only its logarithm can overflow. It stops when the
    /// remaining tail, bounded by a geometric series, is below 1e-17 of the sum; NaN when that has not happened after
    /// <see cref="MaxTerms"/> terms, rather than a wrong value.
    /// </summary>
    public static double Log2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1) || !(a > 0 && b > 0 && c > 0))
        {
            return double.NaN;
        }

        if (z == 0)
        {
            return 0;
        }

        var term = 1.0;
        var sum = 1.0;
        var logScale = 0.0;
        for (var n = 0; n < MaxTerms; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            if (sum > Rescale)
            {
                sum /= Rescale;
                term /= Rescale;
                logScale += LogRescale;
            }

            // The ratio of consecutive terms tends to z; past the peak (ratio < 1) the tail is at most
            // term · ρ / (1 − ρ) with ρ the larger of the current ratio and z.
            var bound = Math.Max(ratio, z);
            if (bound < 1 && term * bound / (1 - bound) <= 1e-17 * sum)
            {
                return logScale + Math.Log(sum);
            }
        }

        return double.NaN;
    }
}
