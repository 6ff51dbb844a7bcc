using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// Reads the change feed for a replay: every held change of the given segment versions, in feed order, from the journal
/// entries that changed memberships (<see cref="ChangeRowReader"/>, as the feed grain reads them; nothing is copied for
/// stats). A read goes through the store's whole held feed — the retention bounds it — since the entries are ordered by
/// commit, not by segment.
/// </summary>
public sealed class FeedReplaySource(ChangeRowReader rows, CustomerJournal journal)
{
    private const int BatchSize = 1000;

    /// <summary>How far back the feed holds every change: what a replay can start from.</summary>
    public DateTimeOffset Earliest(DateTimeOffset now) => now - journal.ChangeRetention;

    public async Task<Dictionary<Guid, List<SegmentChange>>> ReadAsync(string store, IEnumerable<Guid> versions, CancellationToken cancellationToken = default)
    {
        var changes = versions.Distinct().ToDictionary(v => v, _ => new List<SegmentChange>());
        var from = new FeedPosition(0, 0);
        while (true)
        {
            var batch = await rows.ReadAsync(store, from, BatchSize, cancellationToken);
            foreach (var row in batch)
            {
                foreach (var member in journal.ChangesIn(row.Payload))
                {
                    if (changes.TryGetValue(member.Change.SegmentUid, out var list))
                    {
                        list.Add(new SegmentChange(row.CustomerId, member.Change.IsMember, member.Change.EnteredAt));
                    }
                }
            }

            if (batch.Count < BatchSize)
            {
                return changes;
            }

            from = batch[^1].Position with { Seq = batch[^1].Position.Seq + 1 };
        }
    }
}
