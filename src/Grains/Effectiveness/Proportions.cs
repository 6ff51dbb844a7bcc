using MathNet.Numerics.Distributions;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// 95 % intervals for conversion rates, pure. A group's rate: the Wilson score interval (Wilson 1927), which stays inside
/// [0, 1] and keeps its coverage for small groups and rates near 0 or 1, where the textbook normal interval does not.
/// The difference of two groups' rates: Newcombe's hybrid score interval (Newcombe 1998, method 10), built from the two
/// Wilson intervals, with the same virtues. The lift (the ratio of the rates, less one): the log interval of a ratio of
/// proportions (Katz et al. 1978), undefined while either group has no conversion.
/// </summary>
public static class Proportions
{
    /// <summary>The two-sided 95 % normal quantile (1.959964…), from MathNet.Numerics rather than a rounded constant.</summary>
    public static readonly double Z = Normal.InvCDF(0, 1, 0.975);

    /// <summary>The Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/> (&gt; 0).</summary>
    public static (double Low, double High) Wilson(long successes, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        double x = successes, n = trials, z2 = Z * Z;
        var centre = (x + (z2 / 2)) / (n + z2);
        var half = Z * Math.Sqrt((x * (n - x) / n) + (z2 / 4)) / (n + z2);

        // The exact ends at 0 and n, which rounding would otherwise move a hair inside.
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>Newcombe's hybrid score interval of the difference of two rates (first minus second); both groups non-empty.</summary>
    public static (double Low, double High) Difference(long successes1, long trials1, long successes2, long trials2)
    {
        var (p1, p2) = ((double)successes1 / trials1, (double)successes2 / trials2);
        var (l1, u1) = Wilson(successes1, trials1);
        var (l2, u2) = Wilson(successes2, trials2);
        var d = p1 - p2;
        return (d - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2))), d + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2))));
    }

    /// <summary>
    /// The 95 % interval of the lift, first rate over second less one, by the log method; null when either group has no
    /// conversion (the logarithm of a zero rate has no interval).
    /// </summary>
    public static (double Low, double High)? Lift(long successes1, long trials1, long successes2, long trials2)
    {
        if (successes1 == 0 || successes2 == 0)
        {
            return null;
        }

        var ratio = ((double)successes1 / trials1) / ((double)successes2 / trials2);
        var se = Math.Sqrt((1.0 / successes1) - (1.0 / trials1) + (1.0 / successes2) - (1.0 / trials2));
        return ((ratio * Math.Exp(-Z * se)) - 1, (ratio * Math.Exp(Z * se)) - 1);
    }
}
