using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Identity merges, pure: the fold of two customers' behaviour, a primary absorbing a secondary (with the constituents
/// an unmerge needs), the release of a secondary, and the leaves of a customer merged away. The live merge and the
/// replay of its journal entries both run these, so they give the same customer.
/// <para>
/// The fold is what applying both customers' events to one customer gives, whatever the order: the newest profile
/// value wins (ties by event id, as <see cref="CustomerBehaviour.Apply"/> decides), retained events are the union
/// (deduplicated by fingerprint, in the state's order), seen ids the union, orders by order id (the newest report wins)
/// and refunds by event id the union, unreadable profile values the newest per trait while newer than the trait's value,
/// totals and daily totals summed, first and last seen the min and max, the eviction
/// horizon the max. Summing is exact because an event id is unique per store (README; issue 18 §2): an event is in one
/// side only. Memberships are not folded: the customer decides them again afterwards.
/// </para>
/// </summary>
public static class CustomerMerge
{
    /// <summary>The event type of Segment's <c>alias</c> (<c>previousId</c> → the event's customer).</summary>
    public const string AliasType = "alias";

    /// <summary>The behaviour of both, as one customer that applied both streams of events (a new state; neither is changed).</summary>
    public static CustomerState Fold(CustomerState a, CustomerState b)
    {
        var folded = new CustomerState();

        var profile = new Dictionary<string, ProfileField>(a.Profile, StringComparer.Ordinal);
        foreach (var (name, field) in b.Profile)
        {
            if (!profile.TryGetValue(name, out var current) || IsNewer(field.SetAt, field.SetBy, current.SetAt, current.SetBy))
            {
                profile[name] = field;
            }
        }

        folded.Profile = profile;

        // Unreadable values (kept raw) as applying both streams keeps them: the newest per trait, while newer than the
        // trait's value.
        Dictionary<string, RawProfileValue>? raw = null;
        foreach (var (name, sent) in (a.RawValues ?? []).Concat(b.RawValues ?? []))
        {
            var older = profile.TryGetValue(name, out var trait) && !IsNewer(sent.SetAt, sent.SetBy, trait.SetAt, trait.SetBy);
            raw ??= new Dictionary<string, RawProfileValue>(StringComparer.Ordinal);
            if (!older && (!raw.TryGetValue(name, out var held) || IsNewer(sent.SetAt, sent.SetBy, held.SetAt, held.SetBy)))
            {
                raw[name] = sent;
            }
        }

        folded.RawValues = raw is { Count: > 0 } ? raw : null;
        folded.Recent = Union(a.Recent, b.Recent);

        var seen = FingerprintSet.Of(a.SeenIds);
        foreach (var fingerprint in b.SeenIds)
        {
            seen.Add(fingerprint);
        }

        folded.SeenIds = seen;

        var orders = new Dictionary<string, OrderRecord>(a.Orders, StringComparer.Ordinal);
        foreach (var (id, order) in b.Orders)
        {
            if (!orders.TryGetValue(id, out var current) || IsNewer(order.At, order.EventId, current.At, current.EventId))
            {
                orders[id] = order;
            }
        }

        folded.Orders = orders;

        var refunds = new Dictionary<string, RefundRecord>(a.Refunds, StringComparer.Ordinal);
        foreach (var (id, refund) in b.Refunds)
        {
            refunds.TryAdd(id, refund);
        }

        folded.Refunds = refunds;

        var totals = new Dictionary<string, long>(a.TypeTotals, StringComparer.Ordinal);
        foreach (var (type, count) in b.TypeTotals)
        {
            totals[type] = totals.GetValueOrDefault(type) + count;
        }

        folded.TypeTotals = totals;

        var daily = new Dictionary<string, DayTotal[]>(a.Daily.Count + b.Daily.Count, StringComparer.Ordinal);
        foreach (var (type, days) in a.Daily)
        {
            daily[type] = b.Daily.TryGetValue(type, out var other) ? SumDays(days, other) : [.. days];
        }

        foreach (var (type, days) in b.Daily)
        {
            daily.TryAdd(type, [.. days]);
        }

        folded.Daily = daily;
        folded.EventCount = a.EventCount + b.EventCount;
        folded.FirstSeen = Min(a.FirstSeen, b.FirstSeen);
        folded.LastSeen = Max(a.LastSeen, b.LastSeen);
        folded.EvictedThrough = Max(a.EvictedThrough, b.EvictedThrough);
        return folded;
    }

    /// <summary>A copy of the behaviour alone (nothing shared with <paramref name="state"/>).</summary>
    public static CustomerState Behaviour(CustomerState state) => Fold(state, new CustomerState());

    /// <summary>The ids a customer answers for: its own, then those merged into it.</summary>
    public static ImmutableArray<string> Ids(CustomerState state, string customerId) =>
        state.Constituents is { } constituents ? [.. constituents.Select(c => c.Id)] : [customerId];

    /// <summary>Whether <paramref name="id"/> is this customer or one merged into it.</summary>
    public static bool Answers(CustomerState state, string customerId, string id) =>
        id == customerId || (state.Constituents?.Exists(c => c.Id == id) ?? false);

    /// <summary>
    /// The primary after absorbing the secondary as it was handed over: the fold of both, the primary's memberships,
    /// decisions, outbox and bookkeeping as they were (the caller decides the memberships again), and the constituents:
    /// the primary's (its own behaviour before its first merge) and the secondary's (itself, and any merged into it before).
    /// </summary>
    public static CustomerState Absorb(CustomerState primary, string primaryId, CustomerState secondary, string secondaryId)
    {
        var merged = Fold(primary, secondary);
        CarryOver(primary, merged);
        var constituents = primary.Constituents is { } own
            ? new List<Constituent>(own)
            : [new Constituent { Id = primaryId, Parent = null, State = Behaviour(primary) }];
        foreach (var c in secondary.Constituents ?? [new Constituent { Id = secondaryId, Parent = null, State = secondary }])
        {
            constituents.Add(new Constituent { Id = c.Id, Parent = c.Parent ?? primaryId, State = Behaviour(c.State) });
        }

        merged.Constituents = constituents;
        return merged;
    }

    /// <summary>
    /// Gives <paramref name="secondaryId"/> back (with the ids merged into it before): the primary becomes the fold of the
    /// constituents that remain (its memberships and bookkeeping kept; the caller decides them again), the secondary the
    /// fold of its own (behaviour and constituents only).
    /// </summary>
    public static (CustomerState Primary, CustomerState Secondary) Release(CustomerState primary, string secondaryId)
    {
        var constituents = primary.Constituents ?? [];
        var leaving = new HashSet<string>(StringComparer.Ordinal) { secondaryId };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var c in constituents)
            {
                grew |= c.Parent is { } parent && leaving.Contains(parent) && leaving.Add(c.Id);
            }
        }

        var remaining = constituents.Where(c => !leaving.Contains(c.Id)).ToList();
        var moving = constituents.Where(c => leaving.Contains(c.Id)).ToList();
        var kept = FoldAll(remaining);
        CarryOver(primary, kept);
        kept.Constituents = remaining.Count > 1 ? remaining : null;

        var restored = FoldAll(moving);
        restored.Constituents = moving.Count > 1
            ? [.. moving.Select(c => new Constituent { Id = c.Id, Parent = c.Id == secondaryId ? null : c.Parent, State = Behaviour(c.State) })]
            : null;
        return (kept, restored);
    }

    /// <summary>What a merge or an unmerge carries of a customer in its journal entry: behaviour and constituents, copied.</summary>
    public static CustomerState Carried(CustomerState handed)
    {
        var restored = Behaviour(handed);
        restored.Constituents = handed.Constituents is { } constituents
            ? [.. constituents.Select(c => new Constituent { Id = c.Id, Parent = c.Parent, State = Behaviour(c.State) })]
            : null;
        return restored;
    }

    /// <summary>
    /// The ids a batch of a customer's events names as the same person: an <c>alias</c>'s <c>previousId</c>, an
    /// <c>identify</c>'s <c>anonymousId</c> (other than the event's own customer), each once.
    /// </summary>
    public static IEnumerable<string> Named(IEnumerable<CustomerEvent> events)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (NamedBy(e) is { } id && named.Add(id))
            {
                yield return id;
            }
        }
    }

    /// <summary>Whether any event names another id (checked on every request, without allocating).</summary>
    public static bool NamesAny(ImmutableArray<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            if (NamedBy(e) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string? NamedBy(CustomerEvent e) => e.Type switch
    {
        AliasType => e.Property("previousId").AsText(),
        EventTypes.Identify when e.Property("anonymousId").AsText() is { } anonymous && anonymous != e.CustomerId => anonymous,
        _ => null,
    };

    /// <summary>A merged customer applies an event to the identity it names too (its own identity for any other id).</summary>
    public static void ApplyToConstituent(CustomerState state, CustomerEvent e, string? defaultPhoneRegion = null)
    {
        if (state.Constituents is { } constituents)
        {
            var target = constituents.Find(c => c.Id == e.CustomerId) ?? constituents.Find(c => c.Parent is null);
            if (target is not null)
            {
                CustomerBehaviour.Apply(target.State, e, defaultPhoneRegion);
            }
        }
    }

    /// <summary>Prunes each identity's behaviour as the customer's own is pruned.</summary>
    public static void Prune(CustomerState state, DateTimeOffset now, BehaviourOptions options, int windowDays)
    {
        foreach (var c in state.Constituents ?? [])
        {
            CustomerBehaviour.Prune(c.State, now, options, windowDays);
        }
    }

    /// <summary>
    /// A customer merged into <paramref name="primaryId"/> leaves every segment it is in (cause <c>merged:{primary}</c>),
    /// each leave numbered on from its last decision.
    /// </summary>
    public static ImmutableArray<MembershipDecision> Leave(CustomerState secondary, string secondaryId, string primaryId, DateTimeOffset now)
    {
        var cause = $"merged:{primaryId}";
        var leaves = ImmutableArray.CreateBuilder<MembershipDecision>(secondary.Memberships.Count);
        foreach (var (key, membership) in secondary.Memberships.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            leaves.Add(new MembershipDecision(key, new MembershipChange(secondaryId, membership.SegmentUid, false, now, cause, ++secondary.Decisions)));
        }

        return leaves.DrainToImmutable();
    }

    private static CustomerState FoldAll(List<Constituent> constituents) =>
        constituents.Aggregate(new CustomerState(), (folded, c) => Fold(folded, c.State));

    /// <summary>What is the customer's as a whole, not its behaviour: moved over to its new state.</summary>
    private static void CarryOver(CustomerState from, CustomerState to)
    {
        to.Memberships = from.Memberships;
        to.Outbox = from.Outbox;
        to.Decisions = from.Decisions;
        to.Registered = from.Registered;
        to.JournalSeq = from.JournalSeq;
        to.ReportedStats = from.ReportedStats;
        to.PurchasesRecorded = from.PurchasesRecorded;
        to.OrdersRecorded = from.OrdersRecorded;
        to.SuppressedAt = from.SuppressedAt;
    }

    private static List<RetainedEvent> Union(List<RetainedEvent> a, List<RetainedEvent> b)
    {
        var union = new List<RetainedEvent>(a.Count + b.Count);
        var kept = new HashSet<ulong>();
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            var next = j == b.Count || (i < a.Count && CustomerBehaviour.Compare(a[i], b[j]) <= 0) ? a[i++] : b[j++];
            if (kept.Add(next.Fingerprint))
            {
                union.Add(next);
            }
        }

        return union;
    }

    private static DayTotal[] SumDays(DayTotal[] a, DayTotal[] b)
    {
        var sum = new List<DayTotal>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (j == b.Length || (i < a.Length && a[i].Day < b[j].Day))
            {
                sum.Add(a[i++]);
            }
            else if (i == a.Length || b[j].Day < a[i].Day)
            {
                sum.Add(b[j++]);
            }
            else
            {
                sum.Add(new DayTotal(a[i].Day, a[i].Count + b[j].Count, a[i].Revenue + b[j].Revenue));
                i++;
                j++;
            }
        }

        return [.. sum];
    }

    private static bool IsNewer(DateTimeOffset at, string id, DateTimeOffset thanAt, string thanId) =>
        at.UtcTicks != thanAt.UtcTicks ? at.UtcTicks > thanAt.UtcTicks : string.CompareOrdinal(id, thanId) > 0;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : b < a ? b : a;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : b > a ? b : a;
}
