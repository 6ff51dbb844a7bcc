using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's membership history, read back from its journal entries that changed memberships (the same entries the
/// change feed reads; nothing is stored for it), newest first and paged.
/// </summary>
public static class CustomerHistory
{
    /// <summary>Entries looked at per read at most, whether or not their changes are of the segment asked for.</summary>
    private const int MaxScanned = 10_000;

    public static async Task<MembershipHistory> ReadAsync(
        CustomerJournal journal, string store, string customerId, CompiledCatalog catalog, HistoryQuery query, DateTimeOffset now)
    {
        var items = new List<HistoryItem>(Math.Min(query.Limit, 256));
        var through = query.ThroughSeq ?? long.MaxValue;
        var batchSize = Math.Clamp(query.Limit, 16, 1000);
        for (var scanned = 0; scanned < MaxScanned;)
        {
            var entries = await journal.ChangesAsync(store, customerId, through, batchSize);
            foreach (var (seq, changes) in entries)
            {
                for (var i = changes.Length - 1; i >= 0; i--)
                {
                    if (seq == query.ThroughSeq && i > query.ThroughIndex)
                    {
                        continue;
                    }

                    if (items.Count == query.Limit)
                    {
                        return new MembershipHistory([.. items], seq, i, now - journal.ChangeRetention);
                    }

                    var (segment, change) = (changes[i].SegmentId, changes[i].Change);
                    if (query.Segment is null || query.Segment == segment)
                    {
                        items.Add(new HistoryItem(seq, i, segment, catalog.FindByUid(change.SegmentUid)?.Definition.Version, change.IsMember, change.EnteredAt, change.Cause));
                    }
                }
            }

            scanned += entries.Count;
            if (entries.Count < batchSize)
            {
                return new MembershipHistory([.. items], null, 0, now - journal.ChangeRetention);
            }

            through = entries[^1].Seq - 1;
        }

        return new MembershipHistory([.. items], through, int.MaxValue, now - journal.ChangeRetention);
    }
}
