namespace CustomerGrains.Grains.Prediction;

/// <summary>From a customer's orders to what the purchase models read.</summary>
public static class PurchaseSummaries
{
    /// <summary>
    /// The customer's summary at <paramref name="asOf"/>: only the days whose midnight (UTC) is at or before
    /// <paramref name="asOf"/> count; T runs from the first day's midnight to <paramref name="asOf"/> (fractional units),
    /// Tx from the first day's midnight to the last day's. Null when no day counts (not yet a customer).
    /// </summary>
    /// <param name="days">Ascending, distinct days (as <see cref="Days(ReadOnlySpan{PurchaseOrder})"/> returns them).</param>
    /// <param name="asOf">The moment of the summary.</param>
    /// <param name="unit">The unit of Tx and T.</param>
    /// <exception cref="ArgumentException">The days are not ascending and distinct.</exception>
    public static RepeatSummary? Of(ReadOnlySpan<PurchaseDay> days, DateTimeOffset asOf, ModelTimeUnit unit)
    {
        var asOfTicks = asOf.UtcTicks;
        var counted = 0;
        var repeatRevenue = 0.0;
        while (counted < days.Length && days[counted].Day * TimeSpan.TicksPerDay <= asOfTicks)
        {
            if (counted > 0)
            {
                if (days[counted].Day <= days[counted - 1].Day)
                {
                    throw new ArgumentException("Purchase days must be ascending and distinct.", nameof(days));
                }

                repeatRevenue += days[counted].Revenue;
            }

            counted++;
        }

        if (counted == 0)
        {
            return null;
        }

        var first = days[0].Day;
        var repeats = counted - 1;
        return new RepeatSummary(
            repeats,
            Units(TimeSpan.FromDays(days[counted - 1].Day - first), unit),
            Units(TimeSpan.FromTicks(asOfTicks - (first * TimeSpan.TicksPerDay)), unit),
            repeats == 0 ? 0 : repeatRevenue / repeats);
    }

    /// <summary>
    /// Orders in the index's order: ascending by instant, orders of one instant by revenue. The order depends on nothing
    /// but the orders themselves, so a day's revenue, summed in it, is the same wherever it is derived (the customer's own
    /// view, the index's copy of it).
    /// </summary>
    public static PurchaseOrder[] Orders(IEnumerable<(DateTimeOffset At, double Revenue)> orders)
    {
        var sorted = orders.Select(o => new PurchaseOrder(o.At.UtcTicks, o.Revenue)).ToArray();
        Array.Sort(sorted, static (a, b) => a.UtcTicks != b.UtcTicks ? a.UtcTicks.CompareTo(b.UtcTicks) : a.Revenue.CompareTo(b.Revenue));
        return sorted;
    }

    /// <summary>Orders merged into purchase days: ascending, one per UTC day, that day's revenue summed.</summary>
    public static PurchaseDay[] Days(IEnumerable<(DateTimeOffset At, double Revenue)> orders) => Days(Orders(orders));

    /// <summary>Orders (ascending by instant) merged into purchase days: one per UTC day, that day's revenue summed in the orders' order.</summary>
    /// <exception cref="ArgumentException">The orders are not ascending by instant.</exception>
    public static PurchaseDay[] Days(ReadOnlySpan<PurchaseOrder> orders)
    {
        var merged = new List<PurchaseDay>(orders.Length);
        for (var i = 0; i < orders.Length; i++)
        {
            if (i > 0 && orders[i].UtcTicks < orders[i - 1].UtcTicks)
            {
                throw new ArgumentException("Orders must be ascending by instant.", nameof(orders));
            }

            var day = orders[i].Day;
            if (merged.Count > 0 && merged[^1].Day == day)
            {
                merged[^1] = merged[^1] with { Revenue = merged[^1].Revenue + orders[i].Revenue };
            }
            else
            {
                merged.Add(new PurchaseDay(day, orders[i].Revenue));
            }
        }

        return [.. merged];
    }

    /// <summary>A span in the model's unit (fractional).</summary>
    public static double Units(TimeSpan span, ModelTimeUnit unit) => unit switch
    {
        ModelTimeUnit.Day => (double)span.Ticks / TimeSpan.TicksPerDay,
        ModelTimeUnit.Week => (double)span.Ticks / (7 * TimeSpan.TicksPerDay),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };
}
