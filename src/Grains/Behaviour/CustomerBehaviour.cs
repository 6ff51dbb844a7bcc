using System.Runtime.InteropServices;
using CustomerGrains.Grains.Profiles;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// Pure decisions about a customer's behaviour: applying events, evicting old detail, computing traits
/// and windowed aggregates. Every aggregate is order-independent (sums, min/max, newest-wins by event time),
/// so the same events in any arrival order give the same customer.
/// </summary>
public static class CustomerBehaviour
{
    /// <summary>
    /// Applies one event unless its id was seen before; returns whether it was applied. <paramref name="defaultPhoneRegion"/>
    /// is <see cref="BehaviourOptions.DefaultPhoneRegion"/>: where a phone without a country code is read when its
    /// identify sends no country.
    /// </summary>
    public static bool Apply(CustomerState state, CustomerEvent e, string? defaultPhoneRegion = null)
    {
        var fingerprint = Fingerprint(e.Id);
        if (!state.SeenIds.Add(fingerprint))
        {
            return false;
        }

        // One shared instance of the type name for every customer that keeps it (totals, days, retained events).
        var retained = RetainedEvent.Of(fingerprint, e.Type, e.Timestamp, e.Properties);
        var type = retained.Type;
        state.EventCount++;
        state.TypeTotals[type] = state.TypeTotals.GetValueOrDefault(type) + 1;
        state.FirstSeen = Min(state.FirstSeen, e.Timestamp);
        state.LastSeen = Max(state.LastSeen, e.Timestamp);

        var revenue = e.Property("revenue").AsNumber() ?? 0;
        AddToDay(state, type, DayNumber(e.Timestamp), revenue);

        switch (e.Type)
        {
            case EventTypes.Identify:
                // A phone without a country code is read in the country sent with it, not in the profile's: which
                // country the profile holds when the phone arrives depends on the order events arrive in.
                var phoneRegion = e.Properties.TryGetValue(ProfileNormalisation.Phone, out _)
                    && e.Property(ProfileNormalisation.Country).AsText() is { } country
                    && ProfileNormalisation.Read(ProfileNormalisation.Country, country, e.Timestamp, null).Value is { } code
                    ? code
                    : defaultPhoneRegion;
                foreach (var (name, value) in e.Properties)
                {
                    SetProfile(state, name, value, e, phoneRegion);
                }

                break;
            case EventTypes.OrderCompleted:
                var orderId = e.Property("orderId").AsText() ?? e.Id;
                if (!state.Orders.TryGetValue(orderId, out var existing) || IsNewer(e.Timestamp, e.Id, existing.At, existing.EventId))
                {
                    state.Orders[orderId] = new OrderRecord(revenue, e.Timestamp, e.Id);
                }

                break;
            case EventTypes.OrderRefunded:
                var amount = e.Property("revenue").AsNumber() ?? e.Property("amount").AsNumber();
                state.Refunds[e.Id] = new RefundRecord(e.Property("orderId").AsText(), amount, e.Timestamp);
                break;
        }

        InsertRecent(state, retained);
        state.ByTypeIfBuilt?.Insert(retained);
        return true;
    }

    /// <summary>
    /// Evicts detail older than the retention horizon or beyond the per-customer cap, and daily totals past every window's
    /// horizon: older than the store's longest window (<paramref name="windowDays"/>) and than
    /// <see cref="BehaviourOptions.BucketDays"/> (kept for windows a store adds later). Returns whether it evicted anything.
    /// </summary>
    public static bool Prune(CustomerState state, DateTimeOffset now, BehaviourOptions options, int windowDays = 0)
    {
        var horizon = now.AddDays(-options.RetentionDays);
        var evict = 0;
        while (evict < state.Recent.Count
               && (state.Recent[evict].Ticks < horizon.UtcTicks || state.Recent.Count - evict > options.MaxRetainedEvents))
        {
            evict++;
        }

        if (evict > 0)
        {
            var newestEvicted = state.Recent[evict - 1];
            state.EvictedThrough = Max(state.EvictedThrough, newestEvicted.Timestamp);
            state.Recent.RemoveRange(0, evict);
            state.ByTypeIfBuilt?.RemoveThrough(newestEvicted, Compare);
        }

        // One day more than the window: a window that starts within a day reads that whole day's total.
        var oldestDay = DayNumber(now.AddDays(-Math.Max(options.BucketDays, Math.Min(windowDays, 36_600) + 1)));
        List<(string Type, DayTotal[] Days)>? trimmed = null;
        foreach (var (type, days) in state.Daily)
        {
            if (FirstDayFrom(days, oldestDay) is var keep and > 0)
            {
                (trimmed ??= []).Add((type, days[keep..]));
            }
        }

        foreach (var (type, days) in trimmed ?? [])
        {
            // A type with no day left has nothing to answer from (a missing type sums to zero).
            if (days.Length == 0)
            {
                state.Daily.Remove(type);
            }
            else
            {
                state.Daily[type] = days;
            }
        }

        return evict > 0 || trimmed is not null;
    }

    public static Traits ComputeTraits(CustomerState state, DateTimeOffset now)
    {
        var revenue = Revenue(state);
        var orders = state.Orders.Count;
        DateTimeOffset? firstOrder = orders == 0 ? null : state.Orders.Values.Min(o => o.At);
        DateTimeOffset? lastOrder = orders == 0 ? null : state.Orders.Values.Max(o => o.At);
        var counts30d = state.TypeTotals.Keys
            .Order(StringComparer.Ordinal)
            .Select(type => (type, count: Count(state, type, TimeSpan.FromDays(30), now, null)))
            .Where(x => x.count > 0)
            .ToDictionary(x => x.type, x => x.count, StringComparer.Ordinal);
        return new Traits(
            orders,
            revenue,
            orders == 0 ? null : Math.Round(revenue / orders, 2),
            state.Refunds.Count,
            firstOrder,
            lastOrder,
            state.FirstSeen,
            state.LastSeen,
            state.EventCount,
            counts30d);
    }

    /// <summary>Lifetime revenue: orders minus refunds, never below zero.</summary>
    public static double Revenue(CustomerState state)
    {
        var gross = 0.0;
        foreach (var order in state.Orders.Values)
        {
            gross += order.Revenue;
        }

        var refunded = 0.0;
        HashSet<string>? fullyRefunded = null;
        foreach (var refund in state.Refunds.Values)
        {
            if (refund.Amount is { } amount)
            {
                refunded += amount;
            }
            else if (refund.OrderId is { } orderId && (fullyRefunded ??= new(StringComparer.Ordinal)).Add(orderId) && state.Orders.TryGetValue(orderId, out var order))
            {
                refunded += order.Revenue;
            }
        }

        return Math.Round(Math.Max(0, gross - refunded), 2);
    }

    /// <summary>Events of <paramref name="type"/> with timestamp in (now − window, now].</summary>
    public static long Count(CustomerState state, string type, TimeSpan window, DateTimeOffset now, Func<RetainedEvent, bool>? where)
    {
        var from = now - window;
        if (where is null && state.EvictedThrough is { } evicted && evicted > from)
        {
            // Detail for part of the window is gone: answer from daily buckets (day granularity at the edge).
            return SumBuckets(state, type, from, now, b => b.Count);
        }

        // Every windowed rule of every segment reads these: a span and tick comparisons, not the list's indexer
        // and DateTimeOffset operators, and for a busy customer only the events of the type.
        var events = Candidates(state, type, out var mixed);
        var (oldest, newest) = (FirstAfter(events, from.UtcTicks), FirstAfter(events, now.UtcTicks) - 1);
        if (!mixed && where is null)
        {
            return newest - oldest + 1;
        }

        var count = 0L;
        for (var i = newest; i >= oldest; i--)
        {
            if (Matches(events[i], mixed ? type : null, where))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Sum of a numeric property over the same events as <see cref="Count"/>.</summary>
    public static double Sum(CustomerState state, string type, string property, TimeSpan window, DateTimeOffset now, Func<RetainedEvent, bool>? where)
    {
        var from = now - window;
        if (where is null && property == "revenue" && state.EvictedThrough is { } evicted && evicted > from)
        {
            return SumBuckets(state, type, from, now, b => b.Revenue);
        }

        var events = Candidates(state, type, out var mixed);
        var (oldest, newest) = (FirstAfter(events, from.UtcTicks), FirstAfter(events, now.UtcTicks) - 1);
        var sum = 0.0;
        for (var i = newest; i >= oldest; i--)
        {
            var e = events[i];
            if (Matches(e, mixed ? type : null, where))
            {
                sum += e.Properties.TryGetValue(property, out var v) ? v.AsNumber() ?? 0 : 0;
            }
        }

        return sum;
    }

    /// <summary>
    /// When the matching events in (now − window, now] next change by time alone: the first one to leave
    /// (its time + window) or the first future-stamped one to arrive; and, for a window without a filter that reaches
    /// back past evicted detail (answered from daily totals), the first day to leave or arrive and the moment the
    /// window moves past the eviction.
    /// </summary>
    public static DateTimeOffset? NextWindowChange(CustomerState state, string type, TimeSpan window, DateTimeOffset now, Func<RetainedEvent, bool>? where)
    {
        var byEvents = NextEventChange(state, type, window, now, where);
        if (where is not null || state.EvictedThrough is not { } evicted || evicted <= now - window)
        {
            return byEvents;
        }

        // Counts and revenue sums come from the days in (day of now − window, day of now] until the window's start
        // passes the eviction; a day leaves when the start reaches its midnight and arrives at its own midnight.
        var next = Min(byEvents, evicted + window);
        if (state.Daily.TryGetValue(type, out var days))
        {
            var first = FirstDayFrom(days, DayNumber(now - window) + 1);
            if (first < days.Length && days[first].Day <= DayNumber(now))
            {
                next = Min(next, DayStart(days[first].Day) + window);
            }

            if (FirstDayFrom(days, DayNumber(now) + 1) is var arriving && arriving < days.Length)
            {
                next = Min(next, DayStart(days[arriving].Day));
            }
        }

        return next;
    }

    private static DateTimeOffset DayStart(int day) => new(day * TimeSpan.TicksPerDay, TimeSpan.Zero);

    private static DateTimeOffset? NextEventChange(CustomerState state, string type, TimeSpan window, DateTimeOffset now, Func<RetainedEvent, bool>? where)
    {
        // Recent is sorted by time, so the first to leave is the oldest match in the window (it leaves at its time
        // + window) and the first to arrive is the oldest future-stamped match: two short forward scans from a
        // binary search, instead of a pass over every retained event for every window of every rule.
        var events = Candidates(state, type, out var mixed);
        var only = mixed ? type : null;
        var nowTicks = now.UtcTicks;
        DateTimeOffset? next = null;
        for (var i = FirstAfter(events, (now - window).UtcTicks); i < events.Length && events[i].Ticks <= nowTicks; i++)
        {
            if (Matches(events[i], only, where))
            {
                next = events[i].Timestamp + window;
                break;
            }
        }

        for (var i = FirstAfter(events, nowTicks); i < events.Length; i++)
        {
            if (Matches(events[i], only, where))
            {
                return next is { } leaving && leaving < events[i].Timestamp ? leaving : events[i].Timestamp;
            }
        }

        return next;
    }

    /// <summary>
    /// The events an aggregate over <paramref name="type"/> looks at, oldest first: that type's own for a busy
    /// customer; every retained event for one with few (<paramref name="mixed"/>: the caller checks the type).
    /// </summary>
    private static ReadOnlySpan<RetainedEvent> Candidates(CustomerState state, string type, out bool mixed)
    {
        if (state.ByType() is { } index)
        {
            mixed = false;
            return index.Events(type);
        }

        mixed = true;
        return CollectionsMarshal.AsSpan(state.Recent);
    }

    private static bool Matches(RetainedEvent e, string? type, Func<RetainedEvent, bool>? where) =>
        (type is null || e.Type == type) && (where is null || where(e));

    /// <summary>The index of the first event stamped after <paramref name="ticks"/> (UTC) in a time-sorted span (its length when none is).</summary>
    private static int FirstAfter(ReadOnlySpan<RetainedEvent> events, long ticks)
    {
        int low = 0, high = events.Length;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (events[mid].Ticks <= ticks)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    public static ulong Fingerprint(string eventId) => Infrastructure.IdHash.Of(eventId);

    public static int DayNumber(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);

    private static T SumBuckets<T>(CustomerState state, string type, DateTimeOffset from, DateTimeOffset now, Func<DayTotal, T> pick)
        where T : System.Numerics.INumber<T>
    {
        var total = T.Zero;
        if (!state.Daily.TryGetValue(type, out var days))
        {
            return total;
        }

        var lastDay = DayNumber(now);
        for (var i = FirstDayFrom(days, DayNumber(from) + 1); i < days.Length && days[i].Day <= lastDay; i++)
        {
            total += pick(days[i]);
        }

        return total;
    }

    /// <summary>Counts the event in its day's totals: one array per type, sorted by day, grown by one for a new day.</summary>
    private static void AddToDay(CustomerState state, string type, int day, double revenue)
    {
        if (!state.Daily.TryGetValue(type, out var days))
        {
            state.Daily[type] = [new DayTotal(day, 1, revenue)];
            return;
        }

        var at = FirstDayFrom(days, day);
        if (at < days.Length && days[at].Day == day)
        {
            days[at].Count++;
            days[at].Revenue += revenue;
            return;
        }

        var grown = new DayTotal[days.Length + 1];
        days.AsSpan(0, at).CopyTo(grown);
        grown[at] = new DayTotal(day, 1, revenue);
        days.AsSpan(at).CopyTo(grown.AsSpan(at + 1));
        state.Daily[type] = grown;
    }

    /// <summary>The index of the first day at or after <paramref name="day"/> (days.Length when none is).</summary>
    private static int FirstDayFrom(DayTotal[] days, int day)
    {
        int low = 0, high = days.Length;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (days[mid].Day < day)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>
    /// Sets a trait if the event is newer than the one that set it. A normalised trait (e-mail, country, phone, birth
    /// date) takes its normalised form, or, when what was sent cannot be read, keeps its value and holds what was sent
    /// as a raw value with the reason.
    /// </summary>
    /// <remarks>
    /// Normalised here, where the customer applies the event, not at the edge: the journal keeps what was sent, and the
    /// state holds one form of each trait plus the raw values. The reading depends on the event alone (its value, its
    /// country, its time) and the deployment's default region, never on the clock or on what the profile holds, so a
    /// replay and every arrival order give the same customer: the traits are the newest readable values, the raw
    /// values the newest unreadable ones that are newer still.
    /// </remarks>
    private static void SetProfile(CustomerState state, string name, PropertyValue value, CustomerEvent e, string? phoneRegion)
    {
        if (state.Profile.TryGetValue(name, out var current) && !IsNewer(e.Timestamp, e.Id, current.SetAt, current.SetBy))
        {
            return;
        }

        if (ProfileNormalisation.Normalises(name) && value.Kind != PropertyKind.Null)
        {
            var reading = value.Kind == PropertyKind.Text
                ? ProfileNormalisation.Read(name, value.Text!, e.Timestamp, phoneRegion)
                : TraitReading.Unreadable(ProfileNormalisation.NotText);
            if (reading.Reason is { } reason)
            {
                SetRaw(state, name, new RawProfileValue(value, reason, e.Timestamp, e.Id));
                return;
            }

            value = PropertyValue.Of(reading.Value!);
        }

        // Trait names and short values (a country, a tier) repeat across customers: pooled like event properties.
        state.Profile[Infrastructure.StringPool.Names.Intern(name)] = new ProfileField(EventProperties.Pooled(value), e.Timestamp, e.Id);
        if (state.RawValues is { } raw && raw.TryGetValue(name, out var unread) && IsNewer(e.Timestamp, e.Id, unread.SetAt, unread.SetBy))
        {
            raw.Remove(name);
            state.RawValues = raw.Count == 0 ? null : raw;
        }
    }

    /// <summary>Holds an unreadable value that is newer than the trait's (the caller checked) unless a newer one is held.</summary>
    private static void SetRaw(CustomerState state, string name, RawProfileValue sent)
    {
        var raw = state.RawValues ??= new(StringComparer.Ordinal);
        if (!raw.TryGetValue(name, out var held) || IsNewer(sent.SetAt, sent.SetBy, held.SetAt, held.SetBy))
        {
            raw[Infrastructure.StringPool.Names.Intern(name)] = sent;
        }
    }

    private static void InsertRecent(CustomerState state, RetainedEvent e) => InsertInOrder(state.Recent, e);

    /// <summary>Inserts an event among time-ordered ones (ties by fingerprint), scanning from the newest: most arrive last.</summary>
    internal static void InsertInOrder(List<RetainedEvent> events, RetainedEvent e)
    {
        var at = events.Count;
        while (at > 0 && Compare(events[at - 1], e) > 0)
        {
            at--;
        }

        events.Insert(at, e);
    }

    /// <summary>By time, ties by fingerprint: the same events in the same order whatever order they arrived in.</summary>
    internal static int Compare(RetainedEvent a, RetainedEvent b)
    {
        var byTime = a.Ticks.CompareTo(b.Ticks);
        return byTime != 0 ? byTime : a.Fingerprint.CompareTo(b.Fingerprint);
    }

    private static bool IsNewer(DateTimeOffset at, string id, DateTimeOffset thanAt, string thanId) =>
        at.UtcTicks != thanAt.UtcTicks ? at.UtcTicks > thanAt.UtcTicks : string.CompareOrdinal(id, thanId) > 0;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is null || b < a ? b : a;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is null || b > a ? b : a;
}
