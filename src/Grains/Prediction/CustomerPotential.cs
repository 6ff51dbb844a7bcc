namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One customer's predictions at an instant, from its purchase days and the store's models (pure). Time alone moves
/// them: T, the time since the first purchase, grows while x and t_x stay put, so P(alive), the expected orders and
/// the CLV of a silent customer fall.
/// <list type="bullet">
/// <item><c>p_alive</c>: BG/NBD P(alive | x, t_x, T) (1 for a customer with no repeat purchase, as the model assumes);</item>
/// <item><c>expected_orders(h)</c>: BG/NBD E[Y(h) | x, t_x, T], orders (purchase days) expected over the horizon h;</item>
/// <item><c>expected_spend</c>: Gamma-Gamma E[Z | x, z̄], the expected value of each future order (without a
/// Gamma-Gamma fit, or where its mean is not finite: the customer's mean repeat order value, or its first order's for
/// one without repeats);</item>
/// <item><c>clv</c>: <see cref="Clv.Of"/> over the store's horizon at its discount rate;</item>
/// <item><c>potential</c>: <c>high</c> from the store's <see cref="StoreModels.HighFrom"/>, <c>medium</c> from
/// <see cref="StoreModels.MediumFrom"/>, else <c>low</c>.</item>
/// </list>
/// </summary>
public static class CustomerPotential
{
    public static readonly TimeSpan NinetyDays = TimeSpan.FromDays(90);

    /// <summary>The customer's repeat-purchase summary at <paramref name="now"/>; null without a purchase by then.</summary>
    public static RepeatSummary? Summary(StoreModels models, PurchaseDay[] days, DateTimeOffset now) =>
        days.Length == 0 ? null : PurchaseSummaries.Of(days, now, models.Unit);

    public static double PAlive(StoreModels models, in RepeatSummary s) => models.BgNbd.PAlive(s.X, s.Tx, s.T);

    public static double ExpectedOrders(StoreModels models, in RepeatSummary s, TimeSpan horizon) =>
        models.BgNbd.ExpectedPurchases(PurchaseSummaries.Units(horizon, models.Unit), s.X, s.Tx, s.T);

    public static double ExpectedSpend(StoreModels models, in RepeatSummary s, PurchaseDay[] days) =>
        models.GammaGamma is { } gg && gg.ExpectedMeanSpend(s.X, s.RepeatMeanValue) is var spend && double.IsFinite(spend) ? spend
        : s.X > 0 ? s.RepeatMeanValue
        : days.Length > 0 ? days[0].Revenue
        : 0;

    public static double Clv(StoreModels models, in RepeatSummary s, PurchaseDay[] days) =>
        Prediction.Clv.Of(models.BgNbd, ExpectedSpend(models, s, days), s.X, s.Tx, s.T, models.ClvHorizon, models.AnnualDiscountRate, models.Unit);

    public static string Tier(StoreModels models, double clv) =>
        clv >= models.HighFrom ? "high" : clv >= models.MediumFrom ? "medium" : "low";
}
