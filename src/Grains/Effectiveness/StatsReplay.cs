using System.Collections.Immutable;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A segment version's stats replayed from what is stored once, pure: its members now, its changes in the change feed
/// (every change since the range's start is held) and its customers' purchase days (the purchase index).
/// <list type="bullet">
/// <item><b>Size</b> at an interval's end: the members then, after every change before that instant. Replayed forward
/// from before each customer's first held change (a member then exactly when that change is an exit; a member now
/// without held changes was one all along), which is the members now less the entries after the instant plus the exits
/// after it.</item>
/// <item><b>Entered</b>/<b>exited</b>: the changes in [start, end) (a customer entering twice counts twice).</item>
/// <item><b>Purchase days</b> and <b>revenue</b> (day intervals only: the index knows purchases per UTC day, several
/// orders of one day being one purchase day with their revenue summed, refunds not subtracted): the days of customers who
/// were members when the day began. A customer who entered during a day counts from the next day on — as conversion
/// does.</item>
/// <item><b>Conversion</b>: each customer whose first entry in [from, to) fell on UTC day E converted when it has a
/// purchase day in E+1 … E+window (the entry's own day is left out: at day resolution an order that made the customer
/// enter cannot be told from one after it). Treated and holdout groups apart, by the segment's holdout now.</item>
/// </list>
/// </summary>
public static class StatsReplay
{
    public static (ImmutableArray<IntervalStats> Intervals, Conversion Conversion) Compute(
        StatsRange range,
        DateTimeOffset now,
        IReadOnlySet<string> members,
        IReadOnlyList<SegmentChange> changes,
        IReadOnlyDictionary<string, PurchaseDay[]> purchases,
        Func<string, bool> isControl,
        int windowDays)
    {
        var timelines = Timelines.Of(changes);
        return (Intervals(range, members, timelines, purchases), Convert(range, now, timelines, purchases, isControl, windowDays));
    }

    private static ImmutableArray<IntervalStats> Intervals(
        StatsRange range, IReadOnlySet<string> members, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseDay[]> purchases)
    {
        // The size before every held change; then each flip (a change that makes a member of a non-member or the other
        // way round) in time order.
        long size = members.Count(m => !timelines.ContainsKey(m)) + timelines.Values.Count(Timelines.Initially);
        var flips = new List<(long Ticks, bool Entered)>();
        foreach (var timeline in timelines.Values)
        {
            var member = Timelines.Initially(timeline);
            foreach (var change in timeline)
            {
                if (change.Entered != member)
                {
                    flips.Add((change.At.UtcTicks, change.Entered));
                }

                member = change.Entered;
            }
        }

        flips.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        var next = 0;
        for (; next < flips.Count && flips[next].Ticks < range.From.UtcTicks; next++)
        {
            size += flips[next].Entered ? 1 : -1;
        }

        var (days, revenue) = range.Interval == StatsInterval.Day ? Purchases(range, members, timelines, purchases) : (null, null);
        var intervals = ImmutableArray.CreateBuilder<IntervalStats>(range.Count);
        for (var i = 0; i < range.Count; i++)
        {
            var start = range.From + (range.Step * i);
            var end = start + range.Step;
            long entered = 0, exited = 0;
            for (; next < flips.Count && flips[next].Ticks < end.UtcTicks; next++)
            {
                if (flips[next].Entered)
                {
                    entered++;
                }
                else
                {
                    exited++;
                }
            }

            size += entered - exited;
            intervals.Add(new IntervalStats(start, end, size, entered, exited, days?[i], revenue?[i]));
        }

        return intervals.MoveToImmutable();
    }

    /// <summary>Per day of the range, the purchase days and revenue of the customers who were members when it began.</summary>
    private static (long[] Days, double[] Revenue) Purchases(
        StatsRange range, IReadOnlySet<string> members, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseDay[]> purchases)
    {
        var (first, count) = (UtcTime.Day(range.From), range.Count);
        var (days, revenue) = (new long[count], new double[count]);

        // In customer id order, so that the revenue is summed in the same order on every read.
        foreach (var customer in members.Concat(timelines.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!purchases.TryGetValue(customer, out var bought))
            {
                continue;
            }

            var timeline = timelines.GetValueOrDefault(customer);
            foreach (var day in bought)
            {
                var index = day.Day - first;
                if (index < 0 || index >= count)
                {
                    continue;
                }

                // Without held changes, the customer's membership has not changed since the range began.
                if (timeline is null ? members.Contains(customer) : Timelines.MemberAt(timeline, UtcTime.StartOf(day.Day)))
                {
                    days[index]++;
                    revenue[index] += day.Revenue;
                }
            }
        }

        return (days, revenue);
    }

    private static Conversion Convert(
        StatsRange range, DateTimeOffset now, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseDay[]> purchases,
        Func<string, bool> isControl, int windowDays)
    {
        var today = UtcTime.Day(now);
        var (treated, control) = (new Tally(), new Tally());
        foreach (var (customer, timeline) in timelines)
        {
            if (FirstEntry(timeline, range) is not { } entry)
            {
                continue;
            }

            var day = UtcTime.Day(entry.At);
            var converted = purchases.TryGetValue(customer, out var bought) && bought.Any(d => d.Day > day && d.Day <= day + windowDays);
            (isControl(customer) ? control : treated).Add(converted, open: today <= day + windowDays);
        }

        Estimate? difference = null, lift = null;
        if (treated.Entered > 0 && control.Entered > 0)
        {
            var (low, high) = Proportions.Difference(treated.Converted, treated.Entered, control.Converted, control.Entered);
            difference = new Estimate(treated.Rate - control.Rate, low, high);
            if (control.Converted > 0)
            {
                var interval = Proportions.Lift(treated.Converted, treated.Entered, control.Converted, control.Entered);
                lift = new Estimate((treated.Rate / control.Rate) - 1, interval?.Low, interval?.High);
            }
        }

        return new Conversion(windowDays, treated.Group(), control.Group(), difference, lift);
    }

    /// <summary>The customer's first change in the range that made it a member.</summary>
    private static SegmentChange? FirstEntry(List<SegmentChange> timeline, StatsRange range)
    {
        var member = Timelines.Initially(timeline);
        foreach (var change in timeline)
        {
            if (change.Entered && !member && change.At >= range.From && change.At < range.To)
            {
                return change;
            }

            member = change.Entered;
        }

        return null;
    }

    private sealed class Tally
    {
        public long Entered { get; private set; }

        public long Converted { get; private set; }

        public long Open { get; private set; }

        public double Rate => (double)Converted / Entered;

        public void Add(bool converted, bool open)
        {
            Entered++;
            Converted += converted ? 1 : 0;
            Open += open ? 1 : 0;
        }

        public ConversionGroup Group()
        {
            if (Entered == 0)
            {
                return new ConversionGroup(0, 0, 0, null, null, null);
            }

            var (low, high) = Proportions.Wilson(Converted, Entered);
            return new ConversionGroup(Entered, Converted, Open, Rate, low, high);
        }
    }
}
