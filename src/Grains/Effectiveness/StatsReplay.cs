using System.Collections.Immutable;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A segment version's stats replayed from what is stored once, pure: its members now, its changes in the change feed
/// (every change since the range's start is held) and its customers' purchases (the purchase index: each order's instant
/// and revenue, and the purchase days derived from them).
/// <list type="bullet">
/// <item><b>Size</b> at an interval's end: the members then, after every change before that instant. Replayed forward
/// from before each customer's first held change (a member then exactly when that change is an exit; a member now
/// without held changes was one all along), which is the members now less the entries after the instant plus the exits
/// after it.</item>
/// <item><b>Entered</b>/<b>exited</b>: the changes in [start, end) (a customer entering twice counts twice).</item>
/// <item><b>Orders</b> and <b>revenue</b>, for minutes, hours and days alike: the orders placed in [start, end) by the
/// customers who were members when the interval began (after the changes before its start), and their revenue as
/// placed (refunds are not subtracted: a refund is an event of its own, and subtracting it would rewrite an earlier
/// interval's figure). A customer who entered during an interval counts from the next one on — as conversion does.</item>
/// <item><b>Purchase days</b> (day intervals only): the same customers' purchase days (several orders of one customer
/// on one UTC day are one).</item>
/// <item>A customer whose row of the index predates the orders (schema migration 9: days only, until its customer
/// writes the row again) is counted as far as its days tell: an interval that one of its purchase days meets while it
/// was a member has no order count (null), since how many orders the day had is unknown, and below a day no revenue
/// either, since when in the day they fell is unknown; day intervals keep its purchase days and revenue.</item>
/// <item><b>Conversion</b>: each customer whose first entry in [from, to) was at instant E converted when it placed an
/// order in (E, E + window days]. The entry's instant is the decision's (the engine clock when the customer applied the
/// events that made it enter), and every order applied by that decision or before it was known then, so an order
/// stamped after E is one placed after the customer entered, by its timestamp — also one stamped ahead of the server's
/// clock (accepted up to a day, as client clock skew), the one case where the order that made a customer enter can
/// count. The window is open while now is before E + window. A customer whose row has days only is judged by them as
/// before the orders were kept: a purchase day in E's UTC day + 1 … + window, open while that last day has not ended.
/// Treated and holdout groups apart, by the segment's holdout now.</item>
/// </list>
/// </summary>
public static class StatsReplay
{
    public static (ImmutableArray<IntervalStats> Intervals, Conversion Conversion) Compute(
        StatsRange range,
        DateTimeOffset now,
        IReadOnlySet<string> members,
        IReadOnlyList<SegmentChange> changes,
        IReadOnlyDictionary<string, PurchaseHistory> purchases,
        Func<string, bool> isControl,
        int windowDays)
    {
        var timelines = Timelines.Of(changes);
        return (Intervals(range, members, timelines, purchases), Convert(range, now, timelines, purchases, isControl, windowDays));
    }

    private static ImmutableArray<IntervalStats> Intervals(
        StatsRange range, IReadOnlySet<string> members, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseHistory> purchases)
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

        var bought = Purchases(range, members, timelines, purchases);
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
            intervals.Add(bought.Interval(start, end, size, entered, exited, i));
        }

        return intervals.MoveToImmutable();
    }

    /// <summary>Per interval of the range, the orders, revenue and (by day) purchase days of the customers who were members when it began.</summary>
    private static Tallies Purchases(
        StatsRange range, IReadOnlySet<string> members, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseHistory> purchases)
    {
        var byDay = range.Interval == StatsInterval.Day;
        var (from, to, step) = (range.From.UtcTicks, range.To.UtcTicks, range.Step.Ticks);
        var tallies = new Tallies(range.Count, byDay);

        // In customer id order, so that the revenue is summed in the same order on every read.
        foreach (var customer in members.Concat(timelines.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!purchases.TryGetValue(customer, out var history))
            {
                continue;
            }

            // Without held changes, the customer's membership has not changed since the range began.
            var timeline = timelines.GetValueOrDefault(customer);
            bool MemberWhenBegan(long index) =>
                timeline is null ? members.Contains(customer) : Timelines.MemberAt(timeline, new DateTimeOffset(from + (index * step), TimeSpan.Zero));

            if (history.Orders is { } orders)
            {
                foreach (var order in orders)
                {
                    if (order.UtcTicks >= from && order.UtcTicks < to && (order.UtcTicks - from) / step is var index && MemberWhenBegan(index))
                    {
                        tallies.Orders[index]++;
                        tallies.Revenue[index] += order.Revenue;
                    }
                }
            }

            if (!byDay && history.Orders is not null)
            {
                continue;
            }

            foreach (var day in history.Days)
            {
                var (dayStart, dayEnd) = (day.Day * TimeSpan.TicksPerDay, (day.Day + 1) * TimeSpan.TicksPerDay);
                if (dayEnd <= from || dayStart >= to)
                {
                    continue;
                }

                // The intervals the day meets: one by day (the range is whole days), those within it below a day.
                for (var index = (Math.Max(dayStart, from) - from) / step; index <= (Math.Min(dayEnd, to) - 1 - from) / step; index++)
                {
                    if (!MemberWhenBegan(index))
                    {
                        continue;
                    }

                    if (byDay)
                    {
                        tallies.Days![index]++;
                    }

                    if (history.Orders is null)
                    {
                        tallies.Unknown[index] = true;
                        if (byDay)
                        {
                            tallies.Revenue[index] += day.Revenue;
                        }
                    }
                }
            }
        }

        return tallies;
    }

    private static Conversion Convert(
        StatsRange range, DateTimeOffset now, Dictionary<string, List<SegmentChange>> timelines, IReadOnlyDictionary<string, PurchaseHistory> purchases,
        Func<string, bool> isControl, int windowDays)
    {
        var (today, window) = (UtcTime.Day(now), TimeSpan.FromDays(windowDays));
        var (treated, control) = (new Tally(), new Tally());
        foreach (var (customer, timeline) in timelines)
        {
            if (FirstEntry(timeline, range) is not { } entry)
            {
                continue;
            }

            bool converted, open;
            var history = purchases.GetValueOrDefault(customer);
            if (history is { Orders: null })
            {
                // Days only (a row from before the orders were kept): the entry's own day cannot be told apart.
                var day = UtcTime.Day(entry.At);
                converted = history.Days.Any(d => d.Day > day && d.Day <= day + windowDays);
                open = today <= day + windowDays;
            }
            else
            {
                var (after, until) = (entry.At.UtcTicks, (entry.At + window).UtcTicks);
                converted = history?.Orders is { } orders && orders.Any(o => o.UtcTicks > after && o.UtcTicks <= until);
                open = now.UtcTicks < until;
            }

            (isControl(customer) ? control : treated).Add(converted, open);
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

    /// <summary>Per interval: orders, revenue, purchase days (day intervals only) and whether a counted customer's orders are unknown.</summary>
    private sealed class Tallies(int count, bool byDay)
    {
        public long[] Orders { get; } = new long[count];

        public double[] Revenue { get; } = new double[count];

        public long[]? Days { get; } = byDay ? new long[count] : null;

        public bool[] Unknown { get; } = new bool[count];

        public IntervalStats Interval(DateTimeOffset start, DateTimeOffset end, long size, long entered, long exited, int i) =>
            new(start, end, size, entered, exited, Days?[i], Unknown[i] && !byDay ? null : Revenue[i], Unknown[i] ? null : Orders[i]);
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
