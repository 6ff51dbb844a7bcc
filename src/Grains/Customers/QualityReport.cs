using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Keeps the store's data-quality report told of this customer's facts (<see cref="QualityFacts"/>): once per
/// activation, then after each commit that changed them; an erasure, a purge or a merge into another customer tells it
/// the customer is gone. Each
/// update carries the version of the journal entry it follows, so the report keeps the newest whatever order they come
/// in. What was reported is kept in memory only: reporting again at each activation is what brings in the customers
/// that predate the report, and what heals a report that lost an update with a silo.
/// </summary>
public sealed class QualityReport(QualityReporter reporter, string store, string customerId)
{
    private CustomerQuality? _reported;

    public void Activated(CustomerState state)
    {
        if (state.Exists)
        {
            Report(state.JournalSeq, QualityFacts.Of(state));
        }
    }

    /// <summary>After the commit of <paramref name="entry"/> (stored as <paramref name="sequence"/>), in write order.</summary>
    public void AfterCommit(CustomerState state, JournalEntry? entry, long sequence)
    {
        // Erased, purged, merged into another customer: no customer of its own any more (a lift leaves none either).
        if (entry is { Erased: true } || (!state.Exists && _reported is not null))
        {
            Report(sequence, null);
            return;
        }

        var facts = QualityFacts.Of(state);
        if (!Equals(facts, _reported))
        {
            Report(state.JournalSeq, facts);
        }
    }

    /// <summary>The customer's facts now, for a rebuild of the report.</summary>
    public QualityUpdate Current(CustomerState state)
    {
        _reported = QualityFacts.Of(state);
        return new QualityUpdate(customerId, state.JournalSeq, _reported);
    }

    private void Report(long version, CustomerQuality? facts)
    {
        reporter.Report(store, new QualityUpdate(customerId, version, facts));
        _reported = facts;
    }
}
