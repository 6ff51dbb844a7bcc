using System.Collections.Concurrent;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A silo's in-memory copy of each store's purchase index (<c>cg_purchases</c>), decoded: what rankings on predictions
/// compute from. Each read first brings the copy up to date with the rows written since the last one (a few under load,
/// instead of every buyer's row), and reads the whole index again when rows went (an erasure, a customer whose orders all
/// went), which the store's row count shows. So a read sees every commit made before it, on any silo, like a read of the
/// table would; the copy costs one decoded history per buyer in memory.
/// </summary>
public sealed class PurchaseIndex(PurchaseRowReader rows)
{
    private readonly ConcurrentDictionary<string, Copy> _stores = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="use"/> on the store's current index (customer id → buyer), one read at a time per store.</summary>
    public async Task<T> ReadAsync<T>(string store, Func<IReadOnlyDictionary<string, Buyer>, T> use, CancellationToken cancellationToken = default)
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
                Apply(copy, await rows.ChangedSinceAsync(store, 0, cancellationToken));
            }

            return use(copy.Buyers);
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
            // A new row is a new history: nothing remembered of the old one holds for it.
            copy.Buyers[customerId] = new Buyer(PurchaseHistory.Decode(days, orders));
        }

        copy.Horizon = changes.Horizon;
    }

    private sealed class Copy
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Dictionary<string, Buyer> Buyers { get; } = new(StringComparer.Ordinal);

        public long Horizon { get; set; }
    }
}

/// <summary>
/// A buyer of the index: its purchases (orders, when its row has them, and purchase days), and what a ranking remembered
/// of its predictions — a value computed at an instant under a store's models, which stays an upper bound of the same
/// prediction later for as long as the history does not change (see <see cref="Remember"/>). Only touched under the
/// store's read gate.
/// </summary>
public sealed class Buyer(PurchaseHistory purchases)
{
    private Remembered[]? _remembered;

    /// <summary>Replaced with the buyer when its row is, never changed: safe to keep outside the read.</summary>
    public PurchaseHistory Purchases { get; } = purchases;

    public PurchaseDay[] Days => Purchases.Days;

    /// <summary>
    /// The value of measure <paramref name="measure"/> (a small index the caller assigns) computed at <paramref name="at"/>
    /// under <paramref name="models"/>: what <see cref="AtMost"/> returns afterwards.
    /// </summary>
    public void Remember(int measure, StoreModels models, DateTimeOffset at, double value)
    {
        _remembered ??= new Remembered[measure + 1];
        if (_remembered.Length <= measure)
        {
            Array.Resize(ref _remembered, measure + 1);
        }

        _remembered[measure] = new Remembered(models, at, value);
    }

    /// <summary>
    /// An upper bound of the measure at <paramref name="now"/>, if one was remembered under the same models at or before
    /// it. The purchase models' predictions of a fixed history only fall as time passes with no purchase (P(alive), the
    /// posterior purchase rate and so every horizon's expected purchases decrease with T; a CLV with a spend of zero or
    /// more with them), so an earlier value bounds a later one; raised by a billionth against rounding.
    /// </summary>
    public double? AtMost(int measure, StoreModels models, DateTimeOffset now) =>
        _remembered is { } remembered && measure < remembered.Length && remembered[measure] is { } r
        && Equals(r.Models, models) && r.At <= now && r.Value >= 0
            ? r.Value * (1 + 1e-9)
            : null;

    private sealed record Remembered(StoreModels Models, DateTimeOffset At, double Value);
}
