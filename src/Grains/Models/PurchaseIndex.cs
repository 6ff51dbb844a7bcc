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

    /// <summary>Runs <paramref name="use"/> on the store's current index (customer id → purchase days), one read at a time per store.</summary>
    public async Task<T> ReadAsync<T>(string store, Func<IReadOnlyDictionary<string, PurchaseDay[]>, T> use, CancellationToken cancellationToken = default)
    {
        var copy = _stores.GetOrAdd(store, _ => new Copy());
        await copy.Gate.WaitAsync(cancellationToken);
        try
        {
            var changes = await rows.ChangedSinceAsync(store, copy.Horizon, cancellationToken);
            Apply(copy, changes);
            if (copy.Days.Count != changes.Count)
            {
                copy.Days.Clear();
                Apply(copy, await rows.ChangedSinceAsync(store, 0, cancellationToken));
            }

            return use(copy.Days);
        }
        finally
        {
            copy.Gate.Release();
        }
    }

    private static void Apply(Copy copy, PurchaseChanges changes)
    {
        foreach (var (customerId, days) in changes.Rows)
        {
            copy.Days[customerId] = PurchaseDayCodec.Decode(days);
        }

        copy.Horizon = changes.Horizon;
    }

    private sealed class Copy
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Dictionary<string, PurchaseDay[]> Days { get; } = new(StringComparer.Ordinal);

        public long Horizon { get; set; }
    }
}
