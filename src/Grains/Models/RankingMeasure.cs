using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A prediction rankings order buyers by (<c>p_alive</c>, <c>expected_orders_90d</c>, <c>clv</c>) under a store's models,
/// for one request: what depends only on (x, t_x, T) — P(alive), the expected orders, the CLV per unit of spend — is
/// computed once per distinct history (customers whose first and last purchase days and repeat count agree share it),
/// then scaled by each customer's own expected spend.
/// </summary>
public sealed class RankingMeasure(string by, StoreModels models)
{
    private readonly Dictionary<(int X, double Tx, double T), double> _perHistory = [];

    public StoreModels Models { get; } = models;

    /// <summary>The measure's slot among a store's candidate orders (<see cref="CandidateOrder"/>).</summary>
    public int Index { get; } = by switch { "p_alive" => 0, "expected_orders_90d" => 1, _ => 2 };

    /// <summary>What no value of the measure exceeds: P(alive) is a probability (and exactly 1 for a customer who never came back).</summary>
    public double Ceiling { get; } = by == "p_alive" ? 1 : double.PositiveInfinity;

    /// <summary>How many values this request computed: what the bounds save, seen by tests.</summary>
    public int Computed { get; private set; }

    public double Of(RepeatSummary summary, PurchaseDay[] days)
    {
        Computed++;
        if (!_perHistory.TryGetValue((summary.X, summary.Tx, summary.T), out var shared))
        {
            shared = by switch
            {
                "p_alive" => CustomerPotential.PAlive(Models, summary),
                "expected_orders_90d" => CustomerPotential.ExpectedOrders(Models, summary, CustomerPotential.NinetyDays),
                _ => Clv.Of(Models.BgNbd, 1, summary.X, summary.Tx, summary.T, Models.ClvHorizon, Models.AnnualDiscountRate, Models.Unit),
            };
            _perHistory[(summary.X, summary.Tx, summary.T)] = shared;
        }

        return by is "p_alive" or "expected_orders_90d" ? shared : shared * CustomerPotential.ExpectedSpend(Models, summary, days);
    }

    /// <summary>
    /// A cheap upper bound of <see cref="Of"/> (no series): for P(alive), its ceiling (a one-time buyer's is exactly 1,
    /// the top); else <see cref="BgNbdParameters.ExpectedPurchasesAtMost"/> or <see cref="Clv.AtMost"/>. Each falls, like
    /// the value, as T grows over the same history, so one taken now bounds the value at every later instant.
    /// </summary>
    public double AtMost(RepeatSummary summary, PurchaseDay[] days) => Capped(by switch
    {
        "p_alive" => Ceiling,
        "expected_orders_90d" => Models.BgNbd.ExpectedPurchasesAtMost(
            PurchaseSummaries.Units(CustomerPotential.NinetyDays, Models.Unit), summary.X, summary.Tx, summary.T) * (1 + 1e-6),
        _ => Clv.AtMost(Models.BgNbd, CustomerPotential.ExpectedSpend(Models, summary, days), summary.X, summary.Tx, summary.T,
            Models.ClvHorizon, Models.AnnualDiscountRate, Models.Unit),
    });

    /// <summary>
    /// A value computed now as a bound of the same history's later values (they only fall), raised by a billionth against
    /// rounding; null for a negative value, which the argument does not cover.
    /// </summary>
    public double? Remembered(double value) => value >= 0 ? Capped(value * (1 + 1e-9)) : null;

    /// <summary>No bound above the ceiling; a bound that is not a number is none (infinity).</summary>
    private double Capped(double bound) => double.IsNaN(bound) ? double.PositiveInfinity : Math.Min(bound, Ceiling);
}
