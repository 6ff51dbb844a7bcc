using System.Collections.Concurrent;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A silo's in-memory copy of each store's purchase index (<c>cg_purchases</c>), decoded: what rankings on predictions
/// and segment stats compute from. Each read first brings the copy up to date with the rows written since the last one
/// (a few under load, instead of every buyer's row), and reads the whole index again when rows went (an erasure, a
/// customer whose orders all went), which the store's row count shows. So a read sees every commit made before it, on
/// any silo, like a read of the table would; the copy costs one decoded history per buyer in memory.
/// <para>
/// For each prediction a ranking has asked for, the copy also keeps the store's buyers ordered by an upper bound of it
/// (<see cref="CandidateOrder"/>), so that a ranking walks only the top of that order instead of every buyer: a buyer
/// whose row the update brings in loses its bound (a new history), and a whole read again drops them all. Why the
/// bounds hold, and so why rankings stay exact, is told in <see cref="PredictionRanking"/>.
/// </para>
/// </summary>
public sealed class PurchaseIndex(PurchaseRowReader rows)
{
    private readonly ConcurrentDictionary<string, Copy> _stores = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="use"/> on the store's current index (customer id → buyer), one read at a time per store.</summary>
    public Task<T> ReadAsync<T>(string store, Func<IReadOnlyDictionary<string, Buyer>, T> use, CancellationToken cancellationToken = default) =>
        ReadCopyAsync(store, copy => use(copy.Buyers), cancellationToken);

    /// <summary>
    /// Runs <paramref name="use"/> on the store's current index and its buyers' order by a bound of the measure
    /// <paramref name="measure"/> (<see cref="RankingMeasure.Index"/>), which <paramref name="use"/> may tighten; one read
    /// at a time per store.
    /// </summary>
    public Task<T> ReadByBoundAsync<T>(
        string store, int measure, Func<IReadOnlyDictionary<string, Buyer>, CandidateOrder, T> use, CancellationToken cancellationToken = default) =>
        ReadCopyAsync(store, copy =>
        {
            if (!copy.Orders.TryGetValue(measure, out var order))
            {
                copy.Orders[measure] = order = new CandidateOrder();
            }

            return use(copy.Buyers, order);
        }, cancellationToken);

    private async Task<T> ReadCopyAsync<T>(string store, Func<Copy, T> use, CancellationToken cancellationToken)
    {
        var copy = _stores.GetOrAdd(store, _ => new Copy());
        await copy.Gate.WaitAsync(cancellationToken);
        try
        {
            var changes = await rows.ChangedSinceAsync(store, copy.Horizon, cancellationToken);
            Apply(copy, changes);
            if (copy.Buyers.Count != changes.Count)
            {
                copy.Buyers.Clear();
                foreach (var order in copy.Orders.Values)
                {
                    order.Invalidate();
                }

                Apply(copy, await rows.ChangedSinceAsync(store, 0, cancellationToken));
            }

            return use(copy);
        }
        finally
        {
            copy.Gate.Release();
        }
    }

    private static void Apply(Copy copy, PurchaseChanges changes)
    {
        foreach (var (customerId, days, orders) in changes.Rows)
        {
            // A new row is a new history: no bound of the old one holds for it.
            copy.Buyers[customerId] = new Buyer(PurchaseHistory.Decode(days, orders));
            foreach (var order in copy.Orders.Values)
            {
                order.Changed(customerId);
            }
        }

        copy.Horizon = changes.Horizon;
    }

    private sealed class Copy
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Dictionary<string, Buyer> Buyers { get; } = new(StringComparer.Ordinal);

        /// <summary>Measure (<see cref="RankingMeasure.Index"/>) → the buyers by a bound of it.</summary>
        public Dictionary<int, CandidateOrder> Orders { get; } = [];

        public long Horizon { get; set; }
    }
}
