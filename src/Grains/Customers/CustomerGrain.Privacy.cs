using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The customer grain's part in privacy and retention: the export of everything held, erasure (with its suppression and
/// the lift of it), the retention's purge, and the rewrite of a removed customer's tombstone once the change feed's
/// retention has passed.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>
    /// A removed customer's tombstone told the change feed which segments it left, for the feed's retention; that has
    /// passed: the tombstone is written again without them (an erasure's entry deletes every earlier row of the customer
    /// in the same commit), keeping only the decision count and any suppression.
    /// </summary>
    private async Task ForgetLeavesAsync()
    {
        var catalog = await segments.GetAsync(_store);
        await _pipeline.ExclusiveAsync(() =>
        {
            var s = state.State;
            // A customer merged into another is no removed one: it forwards, and its state says so.
            return s.Exists || s.MergedInto is not null
                ? Task.CompletedTask
                : CommitAsync(CustomerDecision.Nothing, catalog, new JournalEntry([], [], Erased: true, s.Decisions, Suppressed: s.SuppressedAt));
        });
    }

    public async Task<CustomerExport?> ExportAsync()
    {
        if (state.State.MergedInto is { } primary)
        {
            return await Customer(primary).ExportAsync();
        }

        if (!state.State.Exists)
        {
            return null;
        }

        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        var now = time.GetUtcNow();

        // The state's part is taken in one synchronous step (one moment's state), before the reads of the journal.
        var s = state.State;
        var view = CustomerViews.Of(s, _store, _customerId, catalog, population, now);
        var export = new CustomerExport(
            view,
            s.Profile.ToImmutableDictionary(StringComparer.Ordinal),
            [],
            [.. s.Recent],
            s.Orders.ToImmutableDictionary(StringComparer.Ordinal),
            s.Refunds.ToImmutableDictionary(StringComparer.Ordinal),
            s.TypeTotals.ToImmutableDictionary(StringComparer.Ordinal),
            s.Daily.ToImmutableDictionary(d => d.Key, d => d.Value.ToImmutableArray(), StringComparer.Ordinal),
            s.EvictedThrough,
            [],
            now - journal.ChangeRetention);

        // Every event an entry still held carries, as sent, once each (a resent event is in one entry only: the
        // journal records what was applied); of a merged customer, those the journals of the ids merged into it still hold too.
        var held = new List<CustomerEvent>();
        foreach (var id in CustomerMerge.Ids(s, _customerId))
        {
            held.AddRange((await journal.ReadTailAsync(_store, id, 0)).SelectMany(e => e.Entry.Events));
        }

        var events = held.DistinctBy(e => e.Id, StringComparer.Ordinal).OrderBy(e => e.Timestamp).ToImmutableArray();
        var history = ImmutableArray.CreateBuilder<HistoryItem>();
        HistoryQuery? query = new(null, null, 0, 1000);
        while (query is not null)
        {
            var page = await CustomerHistory.ReadAsync(journal, _store, _customerId, catalog, query, now);
            history.AddRange(page.Items);
            query = page.NextSeq is { } next ? query with { ThroughSeq = next, ThroughIndex = page.NextIndex } : null;
        }

        return export with { JournalEvents = events, History = history.DrainToImmutable() };
    }

    public Task<bool> EraseAsync() => RemoveAsync(null, "erased", suppress: true, _ => true);

    /// <summary>
    /// Removes the customer everywhere (an erasure; a purge by the store's retention, whose id is not suppressed) if
    /// <paramref name="still"/> holds of its state when the step that removes it runs.
    /// </summary>
    private async Task<bool> RemoveAsync(CompiledCatalog? catalog, string cause, bool suppress, Func<CustomerState, bool> still)
    {
        while (true)
        {
            if (state.State.MergedInto is { } primary)
            {
                // An id merged into another is that person: erasing it erases them, with every id of theirs. A purge
                // is the person's (its primary's inactivity), never one merged id's.
                return suppress && await Customer(primary).EraseAsync();
            }

            catalog ??= await segments.GetAsync(_store);
            var current = catalog;
            bool? removed = null;
            await CoordinateAsync(async () => removed = await RemoveAloneAsync(current, cause, suppress, still));
            if (removed is { } done)
            {
                return done;
            }
        }
    }

    public async Task<bool> LiftSuppressionAsync()
    {
        var lifted = false;
        var catalog = await segments.GetAsync(_store);
        await _pipeline.ExclusiveAsync(async () =>
        {
            var s = state.State;
            if (s.SuppressedAt is null)
            {
                return;
            }

            await CommitAsync(CustomerDecision.Nothing, catalog, new JournalEntry([], [], Erased: false, s.Decisions, Lifted: true));
            s.SuppressedAt = null;
            lifted = true;
        });
        return lifted;
    }

    /// <summary>Null: this customer was merged into another meanwhile (an erasure goes there).</summary>
    private async Task<bool?> RemoveAloneAsync(CompiledCatalog catalog, string cause, bool suppress, Func<CustomerState, bool> still)
    {
        var s = state.State;
        if (s.MergedInto is not null)
        {
            return null;
        }

        if ((!s.Exists && !s.Registered) || !still(s))
        {
            return false;
        }

        // The ids merged into this customer are the same person: each is frozen, and its own tombstone is written in the
        // same transaction as this one's.
        var now = time.GetUtcNow();
        DateTimeOffset? suppressed = suppress ? now : null;
        var secondaries = new List<(string Id, Guid Token, JournalEntry Tombstone)>();
        foreach (var id in CustomerMerge.Ids(s, _customerId).Where(id => id != _customerId))
        {
            var token = Guid.NewGuid();
            if ((await Customer(id).FreezeAsync(new FreezeRequest(_customerId, token, FreezeIntent.Erase))).State is { } frozen)
            {
                secondaries.Add((id, token, new JournalEntry([], [], Erased: true, frozen.Decisions, Suppressed: suppressed)));
            }
        }

        // One durable step removes the journal, membership rows, deadline and index entry and leaves a tombstone (which,
        // for an erasure, suppresses the id), so a crash anywhere after it still replays to a removed customer. The
        // leaves reach the shards after it.
        Task<long>[] group = [];
        try
        {
            var tombstone = new JournalEntry([], [], Erased: true, s.Decisions, Suppressed: suppressed);
            var companions = secondaries.ConvertAll(e => journal.Write(_store, e.Id, e.Tombstone, deadline: new DeadlineChange(DeadlineShards.Of(e.Id), null)));
            await CommitAsync(
                Decide(s => new CustomerDecision([], CustomerDecisions.Erase(s, _customerId, now, cause), null)), catalog, tombstone,
                companions.Count > 0 ? companions : null, submitted => group = submitted);
        }
        finally
        {
            for (var i = 0; i < secondaries.Count; i++)
            {
                await ThawAsync(secondaries[i].Id, Outcome(secondaries[i].Token, group, i, secondaries[i].Tombstone));
            }
        }

        _stats.Erased(s);

        // The shards keep the leaves as this customer's last decisions: a customer of the same id later on (once an
        // erasure's suppression is lifted) numbers its decisions on from there. Removed in memory before the snapshot's
        // clear, which waits for the database's write gate: a view meanwhile must not show what the shards already left.
        var removed = new CustomerState { Decisions = s.Decisions, SuppressedAt = suppressed };
        state.State = removed;
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        state.State = removed;
        _snapshots.Forget();
        DeactivateOnIdle();
        return true;
    }

    private async Task<bool> PurgeDueAsync(CustomerState s) =>
        CustomerDecisions.PurgeAt(s, await thresholds.GetAsync(_store)) <= time.GetUtcNow();
}
