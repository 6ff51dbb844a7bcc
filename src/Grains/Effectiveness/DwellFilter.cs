using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A segment version's changes as the feed tells them under the segment's minimum dwell (<see cref="Dwell"/>): a stay
/// shorter than the dwell is left out, entry and exit, and a stay still younger than it at <c>now</c> is not told yet — so
/// flows count no move the feed would not announce. Pure.
/// </summary>
public static class DwellFilter
{
    /// <param name="changes">The version's changes in feed order (each customer's in decision order).</param>
    /// <param name="minDwell">The segment's minimum dwell; none or zero: every change is told.</param>
    /// <param name="now">The instant of the read.</param>
    public static IReadOnlyList<SegmentChange> Told(IReadOnlyList<SegmentChange> changes, TimeSpan? minDwell, DateTimeOffset now)
    {
        if (minDwell is not { } dwell || dwell <= TimeSpan.Zero)
        {
            return changes;
        }

        // Each change's neighbour of the same customer: the next one after an entry, the one before an exit.
        var next = new int[changes.Count];
        var previous = new int[changes.Count];
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < changes.Count; i++)
        {
            next[i] = -1;
            previous[i] = last.TryGetValue(changes[i].CustomerId, out var before) ? before : -1;
            if (previous[i] >= 0)
            {
                next[previous[i]] = i;
            }

            last[changes[i].CustomerId] = i;
        }

        var told = new List<SegmentChange>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var verdict = change.Entered
                ? Dwell.OfEntry(change.At, next[i] >= 0 && !changes[next[i]].Entered ? changes[next[i]].At : null, dwell, now)
                : Dwell.OfExit(change.At, previous[i] >= 0 && changes[previous[i]].Entered ? changes[previous[i]].At : null, dwell);
            if (verdict == DwellVerdict.Announce)
            {
                told.Add(change);
            }
        }

        return told;
    }
}
