using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Population;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Keeps the store's population statistics told of this customer's place in them (value, orders, last order). Only
/// orders and refunds move it; an activation's first commit checks it once, since its replayed tail may hold orders the
/// statistics do not cover yet. What was reported is kept in the state, so that the next report replaces it.
/// </summary>
public sealed class StatsReport(PopulationReporter reporter, string store)
{
    private bool _checked;

    public void AfterCommit(CustomerState state, bool purchases)
    {
        if (_checked && !purchases)
        {
            return;
        }

        var stats = state.Exists ? CustomerFacts.Stats(state) : null;
        if (stats != state.ReportedStats)
        {
            reporter.Report(store, state.ReportedStats, stats);
            state.ReportedStats = stats;
        }

        _checked = true;
    }

    /// <summary>The customer is gone: it leaves the statistics.</summary>
    public void Erased(CustomerState state) => reporter.Report(store, state.ReportedStats, null);
}
