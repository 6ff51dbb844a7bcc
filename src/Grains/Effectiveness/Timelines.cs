namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// Each customer's changes of one segment version, in its decision order: what a replay asks a customer's membership
/// at an instant. The feed holds a suffix of each customer's changes (those within its retention), and each change flips
/// the membership, so a customer was a member before its first held change exactly when that change is an exit.
/// </summary>
public static class Timelines
{
    /// <summary>The changes grouped by customer, each customer's in the order given (feed order keeps decision order).</summary>
    public static Dictionary<string, List<SegmentChange>> Of(IEnumerable<SegmentChange> changes)
    {
        var byCustomer = new Dictionary<string, List<SegmentChange>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!byCustomer.TryGetValue(change.CustomerId, out var timeline))
            {
                byCustomer[change.CustomerId] = timeline = [];
            }

            timeline.Add(change);
        }

        return byCustomer;
    }

    /// <summary>Whether the customer was a member before its first held change.</summary>
    public static bool Initially(List<SegmentChange> timeline) => !timeline[0].Entered;

    /// <summary>
    /// Whether the customer was a member at <paramref name="at"/>: after its changes before that instant, and also those at
    /// it when <paramref name="inclusive"/>. A customer decides in time order (the engine clock's now at each decision).
    /// </summary>
    public static bool MemberAt(List<SegmentChange> timeline, DateTimeOffset at, bool inclusive = false)
    {
        var member = Initially(timeline);
        foreach (var change in timeline)
        {
            if (change.At > at || (change.At == at && !inclusive))
            {
                break;
            }

            member = change.Entered;
        }

        return member;
    }
}
