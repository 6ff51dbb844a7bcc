using System.Collections.Immutable;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// Flows between segments replayed from the change feed, pure. A customer moved from segment a to segment b over
/// [from, to] when at <c>from</c> it was in a and not in b, and at <c>to</c> in b and not in a — it left a and joined b,
/// whatever it did in between (one move, however often it went back and forth; none if it came back). Membership at
/// <c>from</c> is before any change at that instant, at <c>to</c> after every change up to and including it. A customer
/// who left several listed segments and joined several others counts once in each such pair. Only customers with
/// changes of both segments in the period can have moved, so the feed alone answers.
/// </summary>
public static class FlowReplay
{
    /// <param name="segments">The segments, in the order the flows are listed.</param>
    /// <param name="changes">Each segment's (serving version's) changes, in feed order.</param>
    /// <param name="range">The period.</param>
    public static ImmutableArray<SegmentFlow> Compute(IReadOnlyList<string> segments, IReadOnlyList<IReadOnlyList<SegmentChange>> changes, FlowRange range)
    {
        var left = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var joined = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Count; i++)
        {
            foreach (var (customer, timeline) in Timelines.Of(changes[i]))
            {
                var (before, after) = (Timelines.MemberAt(timeline, range.From), Timelines.MemberAt(timeline, range.To, inclusive: true));
                if (before != after)
                {
                    var moves = before ? left : joined;
                    if (!moves.TryGetValue(customer, out var list))
                    {
                        moves[customer] = list = [];
                    }

                    list.Add(i);
                }
            }
        }

        var counts = new long[segments.Count, segments.Count];
        foreach (var (customer, from) in left)
        {
            if (joined.TryGetValue(customer, out var to))
            {
                foreach (var a in from)
                {
                    foreach (var b in to)
                    {
                        counts[a, b]++;
                    }
                }
            }
        }

        var flows = ImmutableArray.CreateBuilder<SegmentFlow>(segments.Count * (segments.Count - 1));
        for (var a = 0; a < segments.Count; a++)
        {
            for (var b = 0; b < segments.Count; b++)
            {
                if (a != b)
                {
                    flows.Add(new SegmentFlow(segments[a], segments[b], counts[a, b]));
                }
            }
        }

        return flows.MoveToImmutable();
    }
}
