namespace CustomerGrains.Grains.Prediction;

/// <summary>Customer lifetime value over a horizon: the BG/NBD's expected purchases times the expected spend per purchase, discounted.</summary>
public static class Clv
{
    /// <summary>A month: a twelfth of the mean Gregorian year (365.25 / 12 days, exactly 26,298,000,000,000 ticks).</summary>
    public static readonly TimeSpan Month = TimeSpan.FromTicks(TimeSpan.TicksPerDay * 36525 / 1200);

    /// <summary>
    /// The value a customer with history (x, tx, T) brings in the <paramref name="horizon"/> after asOf, discounted monthly:
    /// <code>
    /// CLV = Σ_{m=1..M} (E[Y(t_m)] − E[Y(t_{m−1})]) · spend / (1 + d)^(m/12)
    /// </code>
    /// where E[Y(t)] = <see cref="BgNbdParameters.ExpectedPurchases"/>(t, x, tx, T), t_m = m months in the model's
    /// <paramref name="unit"/> (1 month = 365.25/12 days), t₀ = 0, spend = <paramref name="expectedSpend"/> (e.g.
    /// <see cref="GammaGammaParameters.ExpectedMeanSpend"/>) and d = <paramref name="annualDiscountRate"/>: each month's
    /// expected purchases are discounted from the month's end. A horizon that is not a whole number of months ends with
    /// a partial month, discounted from the horizon (m = horizon in months), so that with d = 0 the value is exactly
    /// E[Y(horizon)] · spend.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative horizon or a discount rate of −100 % or less.</exception>
    public static double Of(BgNbdParameters bgNbd, double expectedSpend, int x, double tx, double T, TimeSpan horizon, double annualDiscountRate, ModelTimeUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(annualDiscountRate, -1);
        var (value, previous) = (0.0, 0.0);
        for (var start = 0L; start < horizon.Ticks;)
        {
            var end = Math.Min(start + Month.Ticks, horizon.Ticks);
            var purchases = bgNbd.ExpectedPurchases(PurchaseSummaries.Units(TimeSpan.FromTicks(end), unit), x, tx, T);
            value += (purchases - previous) * expectedSpend / Math.Pow(1 + annualDiscountRate, (double)end / Month.Ticks / 12);
            (previous, start) = (purchases, end);
        }

        return value;
    }

    /// <summary>
    /// An upper bound of <see cref="Of"/>, cheap: with a discount rate of 0 or more no month counts more than undiscounted,
    /// so CLV ≤ max(spend, 0) · <see cref="BgNbdParameters.ExpectedPurchasesAtMost"/>(horizon), raised by a millionth
    /// against rounding. Infinity (no bound) with a negative rate.
    /// </summary>
    public static double AtMost(BgNbdParameters bgNbd, double expectedSpend, int x, double tx, double T, TimeSpan horizon, double annualDiscountRate, ModelTimeUnit unit) =>
        annualDiscountRate < 0 ? double.PositiveInfinity
        : Math.Max(expectedSpend, 0) * bgNbd.ExpectedPurchasesAtMost(PurchaseSummaries.Units(horizon, unit), x, tx, T) * (1 + 1e-6);
}
