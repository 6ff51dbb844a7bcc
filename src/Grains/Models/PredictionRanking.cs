using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A ranking of a store's buyers by a prediction at an instant, exact, from the silo's copy of the purchase index.
/// <para>
/// Descending (<see cref="Top"/>): the buyers are kept ordered by an upper bound of the measure across requests
/// (<see cref="CandidateOrder"/>); a request first gives the buyers without one (changed since the last request) their
/// cheap bound now, then walks the order from the top, computing exact values, and stops at the first buyer whose bound,
/// with its id, would rank after the worst of the rows kept: its value is at most its bound, and every buyer after it
/// has a lower bound, or the same bound and a higher id, so no one left can enter. Each value computed tightens its
/// buyer's bound for later requests. Exact because every bound holds: a cheap bound or a value taken at an instant
/// bounds the same history's value at every later instant under the same models (P(alive), the expected purchases, the
/// CLV and the cheap bounds all fall as T grows with x and t_x fixed — property-tested in <c>ClvTests</c>), and a bound
/// goes when its buyer's row changes, when the models change, and when the clock goes back. A buyer with a purchase day
/// still ahead of the instant (an order stamped in the future) has a history that will grow by itself when that day
/// comes: it gets no bound, and its value is computed at every request.
/// </para>
/// <para>Ascending (<see cref="Bottom"/>): no lower bound is known, so every buyer's value is computed in one walk.</para>
/// A request allocates for what it computes (the buyers it walks, the rows it keeps), never an array over every buyer.
/// </summary>
public static class PredictionRanking
{
    private static readonly IComparer<(string Id, double Value)> Descending = TopRows.Order(descending: true);
    private static readonly IComparer<(string Id, double Value)> Ascending = TopRows.Order(descending: false);

    /// <summary>
    /// The first <paramref name="count"/> buyers (of <paramref name="only"/>, when given) after the cursor
    /// <paramref name="after"/>, highest value first, ties by id; buyers whose value is not a finite number are left out
    /// (the customer view shows none).
    /// </summary>
    public static List<(string Id, double Value)> Top(
        IReadOnlyDictionary<string, Buyer> buyers, CandidateOrder order, RankingMeasure measure, DateTimeOffset now,
        IReadOnlySet<string>? only, (double Value, string Id)? after, int count)
    {
        var kept = new TopRows(Descending, count);
        void Offer(string id, double value)
        {
            if (double.IsFinite(value) && (after is not { } cursor || Descending.Compare((id, value), (cursor.Id, cursor.Value)) > 0))
            {
                kept.Offer((id, value));
            }
        }

        order.Begin(measure.Models, now, buyers.Keys);
        if (order.Unbounded.Count > 0)
        {
            foreach (var id in order.Unbounded.ToArray())
            {
                if (!buyers.TryGetValue(id, out var buyer))
                {
                    order.Forget(id);
                    continue;
                }

                // No purchase day yet: not ranked until there is one.
                if (CustomerPotential.Summary(measure.Models, buyer.Days, now) is not { } summary)
                {
                    continue;
                }

                if ((long)buyer.Days[^1].Day * TimeSpan.TicksPerDay > now.UtcTicks)
                {
                    if (only?.Contains(id) != false)
                    {
                        Offer(id, measure.Of(summary, buyer.Days));
                    }

                    continue;
                }

                order.Bound(id, measure.AtMost(summary, buyer.Days));
            }
        }

        List<(string Id, double Bound)>? tightened = null;
        foreach (var (bound, id) in order.ByBound)
        {
            if (only is not null && !only.Contains(id))
            {
                continue;
            }

            if (kept.Full && Descending.Compare((id, bound), kept.Worst) > 0)
            {
                break;
            }

            var buyer = buyers[id];
            if (CustomerPotential.Summary(measure.Models, buyer.Days, now) is not { } summary)
            {
                continue;
            }

            var value = measure.Of(summary, buyer.Days);
            if (!double.IsFinite(value))
            {
                continue;
            }

            if (measure.Remembered(value) is { } remembered && remembered < bound)
            {
                (tightened ??= []).Add((id, remembered));
            }

            Offer(id, value);
        }

        // After the walk: the order cannot change under its enumeration.
        if (tightened is not null)
        {
            foreach (var (id, bound) in tightened)
            {
                order.Bound(id, bound);
            }
        }

        return kept.InOrder();
    }

    /// <summary>The first <paramref name="count"/> buyers after the cursor, lowest value first, ties by id: every value computed.</summary>
    public static List<(string Id, double Value)> Bottom(
        IReadOnlyDictionary<string, Buyer> buyers, RankingMeasure measure, DateTimeOffset now,
        IReadOnlySet<string>? only, (double Value, string Id)? after, int count)
    {
        var kept = new TopRows(Ascending, count);
        foreach (var (id, buyer) in buyers)
        {
            if ((only is null || only.Contains(id))
                && CustomerPotential.Summary(measure.Models, buyer.Days, now) is { } summary
                && measure.Of(summary, buyer.Days) is var value && double.IsFinite(value)
                && (after is not { } cursor || Ascending.Compare((id, value), (cursor.Id, cursor.Value)) > 0))
            {
                kept.Offer((id, value));
            }
        }

        return kept.InOrder();
    }
}
