using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Feed;

/// <summary>
/// A store's change feed, read per request (a stateless worker: any silo, several at once) from the journal entries that
/// changed memberships (<see cref="ChangeRowReader"/>): the one stored form of each decision, in the order it became
/// durable, with nothing of it copied elsewhere. Entries are kept for the feed's retention
/// (<see cref="JournalOptions.ChangeRetention"/>) even once a snapshot covers them. A read with nothing new waits for a
/// commit with changes of the store: this silo's are heard at once (<see cref="ChangeSignal"/>), other silos' by reading
/// again every half second.
/// </summary>
[StatelessWorker]
public sealed class ChangeFeedGrain(
    ChangeRowReader rows,
    CustomerJournal journal,
    ChangeSignal signal,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, IChangeFeedGrain
{
    /// <summary>How often a waiting read looks again for commits of other silos.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>Entries looked at per read at most, whether or not their changes are of the segment asked for.</summary>
    private const int MaxScanned = 10_000;

    private string Store => this.GetPrimaryKeyString();

    public async Task<ChangePage> ReadAsync(ChangeQuery query)
    {
        if (query.After is { } after && after.RecordedAtUnixMs < (time.GetUtcNow() - journal.ChangeRetention).ToUnixTimeMilliseconds())
        {
            return new ChangePage([], after, Expired: true, Latest: await LatestAsync());
        }

        var catalog = await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetSnapshotAsync();
        if (query.Segment is { } segment && !catalog.Segments.Any(s => s.Id == segment))
        {
            return new ChangePage([], query.After, Error: $"no segment '{segment}'");
        }

        if (query.FromLatest)
        {
            query = query with { After = await LatestAsync(), FromLatest = false };
        }

        var versions = catalog.Segments.ToDictionary(s => s.Uid, s => s.Version);
        var dwells = catalog.Segments.Where(s => MinDwell(s) > TimeSpan.Zero).ToDictionary(s => s.Uid, MinDwell);
        var holdouts = catalog.Segments.Where(s => !s.Pending).ToDictionary(s => s.Id, s => s.Holdout, StringComparer.Ordinal);
        // How long a read waits is the caller's real time (a grain call's timeout runs on it), not the engine's clock.
        var waitUntil = TimeProvider.System.GetTimestamp() + (long)(query.Wait.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            // Taken before the read: a commit during the read completes it, and the wait below returns at once.
            var committed = signal.NextAsync(Store);
            var (page, scannedAll) = await ReadPageAsync(query, versions, dwells, holdouts);
            var remaining = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), waitUntil);
            if (page.Items.Count > 0 || !scannedAll || remaining <= TimeSpan.Zero)
            {
                return page;
            }

            await Task.WhenAny(committed, Task.Delay(remaining < Poll ? remaining : Poll, TimeProvider.System));
            query = query with { After = page.Next };
        }
    }

    /// <summary>A page from the query's cursor on; whether every settled entry after it was looked at.</summary>
    /// <remarks>
    /// <see cref="FeedChange.Holdout"/> follows the segment's serving definition now (its holdout percentage), so every
    /// change of a customer says the same as the segment's stats and the customer's view.
    /// </remarks>
    private async Task<(ChangePage Page, bool ScannedAll)> ReadPageAsync(
        ChangeQuery query, Dictionary<Guid, long> versions, Dictionary<Guid, TimeSpan> dwells, Dictionary<string, int> holdouts)
    {
        var items = new List<FeedChange>(Math.Min(query.Limit, 256));
        var next = query.After;
        var from = query.After?.Entry ?? new FeedPosition(0, 0);
        var batchSize = Math.Clamp(query.Limit, 64, 1000);
        for (var scanned = 0; scanned < MaxScanned;)
        {
            var batch = await rows.ReadAsync(Store, from, batchSize);
            foreach (var row in batch)
            {
                var changes = journal.ChangesIn(row.Payload);
                for (var i = 0; i < changes.Length; i++)
                {
                    if (query.After is { } after && row.Position == after.Entry && i <= after.Index)
                    {
                        continue;
                    }

                    var cursor = new ChangeCursor(row.Position, i, row.RecordedAtUnixMs);
                    var (segment, change) = (changes[i].SegmentId, changes[i].Change);
                    if ((query.Segment is null || query.Segment == segment) && dwells.TryGetValue(change.SegmentUid, out var dwell))
                    {
                        var verdict = change.IsMember
                            ? Dwell.OfEntry(change.EnteredAt, await NextExitAsync(row, change.SegmentUid, change.EnteredAt + dwell), dwell, time.GetUtcNow())
                            : Dwell.OfExit(change.EnteredAt, await PreviousEntryAsync(row, change.SegmentUid), dwell);
                        if (verdict == DwellVerdict.Hold)
                        {
                            // Nothing after it is told before it: the page ends here, and a waiting read looks again.
                            return (new ChangePage(items, next), true);
                        }

                        if (verdict == DwellVerdict.Suppress)
                        {
                            next = cursor;
                            continue;
                        }
                    }

                    next = cursor;
                    if (query.Segment is null || query.Segment == segment)
                    {
                        items.Add(new FeedChange(next, row.Position.Seq, segment, versions.TryGetValue(change.SegmentUid, out var v) ? v : null,
                            row.CustomerId, change.IsMember, change.EnteredAt, change.Cause,
                            Holdout.IsControl(Store, segment, row.CustomerId, holdouts.GetValueOrDefault(segment))));
                        if (items.Count == query.Limit)
                        {
                            return (new ChangePage(items, next), false);
                        }
                    }
                }
            }

            scanned += batch.Count;
            if (batch.Count < batchSize)
            {
                return (new ChangePage(items, next), true);
            }

            from = batch[^1].Position with { Seq = batch[^1].Position.Seq + 1 };
        }

        return (new ChangePage(items, next), false);
    }

    /// <summary>
    /// When the customer next left the segment version after this entry's changes, if it did before
    /// <paramref name="until"/> (its entries are read on while they were recorded before it, with a minute's grace for
    /// a commit behind its decision).
    /// </summary>
    private async Task<DateTimeOffset?> NextExitAsync(ChangeRow row, Guid segmentUid, DateTimeOffset until)
    {
        for (var after = row.Position.Seq; ;)
        {
            var entries = await rows.CustomerAfterAsync(Store, row.CustomerId, after, 16);
            foreach (var entry in entries)
            {
                if (DateTimeOffset.FromUnixTimeMilliseconds(entry.RecordedAtUnixMs) > until + TimeSpan.FromMinutes(1))
                {
                    return null;
                }

                foreach (var change in journal.ChangesIn(entry.Payload))
                {
                    if (change.Change.SegmentUid == segmentUid)
                    {
                        return change.Change.IsMember ? null : change.Change.EnteredAt;
                    }
                }
            }

            if (entries.Count < 16)
            {
                return null;
            }

            after = entries[^1].Position.Seq;
        }
    }

    /// <summary>When the customer entered the segment version before this entry's exit, if the journal still holds it.</summary>
    private async Task<DateTimeOffset?> PreviousEntryAsync(ChangeRow row, Guid segmentUid)
    {
        foreach (var entry in await rows.CustomerAsync(Store, row.CustomerId, row.Position.Seq - 1, 64))
        {
            foreach (var change in journal.ChangesIn(entry.Payload))
            {
                if (change.Change.SegmentUid == segmentUid)
                {
                    return change.Change.IsMember ? change.Change.EnteredAt : null;
                }
            }
        }

        return null;
    }

    private static TimeSpan MinDwell(SegmentDefinition segment) => segment.MinDwell ?? TimeSpan.Zero;

    public async Task<ChangeCursor?> LatestAsync()
    {
        if (await rows.LastAsync(Store) is not { } last)
        {
            return null;
        }

        return new ChangeCursor(last.Position, journal.ChangesIn(last.Payload).Length - 1, last.RecordedAtUnixMs);
    }
}
