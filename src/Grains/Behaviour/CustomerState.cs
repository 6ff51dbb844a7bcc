using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>Everything about one customer; written only by its <see cref="Customers.CustomerGrain"/>.</summary>
[GenerateSerializer, Alias("cg.CustomerState")]
public sealed class CustomerState
{
    /// <summary>
    /// Profile fields by camelCase name. A loaded snapshot's values take their canonical shape here, as applied ones
    /// do when they are set (<see cref="EventProperties.Pooled(PropertyValue)"/>): rules read them as they are.
    /// </summary>
    [Id(0)]
    public Dictionary<string, ProfileField> Profile
    {
        get => _profile;
        set => _profile = Canonical(value);
    }

    [NonSerialized] private Dictionary<string, ProfileField> _profile = new(StringComparer.Ordinal);

    /// <summary>
    /// Values sent for normalised traits that could not be read, by trait (<see cref="RawProfileValue"/>); null while
    /// there are none, which is most customers.
    /// </summary>
    [Id(22)] public Dictionary<string, RawProfileValue>? RawValues { get; set; }

    /// <summary>Detailed recent events, oldest first.</summary>
    public List<RetainedEvent> Recent
    {
        get => _recent;
        set
        {
            _recent = value;
            _byType = null;
        }
    }

    [NonSerialized] private List<RetainedEvent> _recent = [];
    [NonSerialized] private EventsByType? _byType;

    /// <summary>
    /// <see cref="Recent"/> by type for a customer with many events (built now if it is missing or out of step);
    /// null for one with few, which walks Recent.
    /// </summary>
    internal EventsByType? ByType()
    {
        if (_recent.Count < EventsByType.MinEvents)
        {
            _byType = null;
            return null;
        }

        return _byType is { } index && index.Count == _recent.Count ? index : _byType = EventsByType.Of(_recent);
    }

    /// <summary>The by-type lists if they were built, for Apply and Prune to keep in step.</summary>
    internal EventsByType? ByTypeIfBuilt => _byType;

    /// <summary>Fingerprints of every event id applied, for exactly-once application of retries.</summary>
    [Id(18)] public FingerprintSet SeenIds { get; set; } = new();

    [Id(3)] public Dictionary<string, OrderRecord> Orders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Refunds keyed by their event id.</summary>
    [Id(4)] public Dictionary<string, RefundRecord> Refunds { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public Dictionary<string, long> TypeTotals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>type → its totals per day (day number: days since 0001-01-01 UTC), one array sorted by day, no two alike.</summary>
    [Id(17)] public Dictionary<string, DayTotal[]> Daily { get; set; } = new(StringComparer.Ordinal);

    [Id(7)] public DateTimeOffset? FirstSeen { get; set; }

    [Id(8)] public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Detailed events at or before this instant may have been evicted from <see cref="Recent"/>.</summary>
    [Id(9)] public DateTimeOffset? EvictedThrough { get; set; }

    /// <summary>Segment version key (<see cref="Segments.SegmentDefinition.Key"/>) → membership.</summary>
    [Id(10)] public Dictionary<string, Membership> Memberships { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Membership changes made durable (journal) but perhaps not yet applied by their in-memory shards:
    /// resent on activation and on retries, idempotently.
    /// </summary>
    [Id(11)] public Dictionary<string, MembershipChange> Outbox { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The number of this customer's latest membership decision (<see cref="MembershipChange.Decision"/>). It only
    /// grows, across activations (replay restores it from the changes) and erasures (the erasure's entry keeps it).
    /// </summary>
    [Id(19)] public long Decisions { get; set; }

    /// <summary>Whether the store's customer index knows this customer.</summary>
    [Id(12)] public bool Registered { get; set; }

    [Id(13)] public long EventCount { get; set; }

    /// <summary>The last journal entry this state includes; a snapshot plus the entries after it is the customer.</summary>
    [Id(14)] public long JournalSeq { get; set; }

    /// <summary>What this customer last added to its store's population statistics.</summary>
    [Id(15)] public Classification.CustomerStats? ReportedStats { get; set; }

    /// <summary>
    /// Whether the store's purchase index (<c>cg_purchases</c>) has this customer's purchase days: written with every
    /// commit that applies orders, and once by any commit of a customer whose orders predate the index.
    /// </summary>
    [Id(21)] public bool PurchasesRecorded { get; set; }

    /// <summary>
    /// When this customer was erased, while its id stays suppressed: events for it are refused (reported, not applied)
    /// until the store lifts the suppression. Null: not suppressed.
    /// </summary>
    [Id(25)] public DateTimeOffset? SuppressedAt { get; set; }

    /// <summary>
    /// Whether its purchase-index row holds this customer's orders (<c>order_list</c>, schema migration 9): set with every row the
    /// customer writes; a customer whose row was written before, by a build that kept days only, writes it again with its
    /// next commit of any kind. <see cref="PurchasesRecorded"/> is kept in step for a rollback to such a build.
    /// </summary>
    [Id(26)] public bool OrdersRecorded { get; set; }

    /// <summary>
    /// Set on a customer merged into another (ARCHITECTURE: Where identities are merged): this id forwards its events and reads to
    /// that one, and holds nothing else but its decision count. Null: not merged.
    /// </summary>
    [Id(41)] public string? MergedInto { get; set; }

    /// <summary>
    /// On a customer other ids were merged into: each identity it is made of (its own first) with that identity's own
    /// behaviour, which an unmerge gives back; the rest of the state is their fold. Null: nothing was merged into it.
    /// </summary>
    [Id(40)] public List<Constituent>? Constituents { get; set; }

    public bool Exists => EventCount > 0;

    // Snapshots written before the compact state (Recent as LegacyRetainedEvents, SeenIds as a HashSet, Daily as a
    // dictionary per type of a class per day) hold them under these ids, and those written before retained events
    // were structs hold Recent under id 16: they are read into Recent, SeenIds and Daily, and written empty. Orleans
    // reads fields in id order, so the current ones (17, 18, 20), when present, come after and win.

    /// <summary>
    /// <see cref="Recent"/> as stored. A loaded snapshot's strings are shared within it but not with other
    /// customers: its events are pooled as they load, like events applied.
    /// </summary>
    [Id(20)]
    internal List<RetainedEvent> StoredEvents
    {
        get => Recent;
        set => Recent = value.ConvertAll(e => e.Pooled());
    }

    /// <summary>
    /// Recent as stored before <see cref="RetainedEvent"/> was a struct, each with its id: read into
    /// <see cref="Recent"/> on load, in its order (ties by fingerprint now, by id then).
    /// </summary>
    [Id(16)]
    internal List<StoredRetainedEvent>? StoredRecent
    {
        get => null;
        set
        {
            if (value is not null)
            {
                Recent = Ordered(value.ConvertAll(e => e.ToRetained()));
            }
        }
    }

    /// <summary>Recent as stored before <see cref="RetainedEvent"/>: read into <see cref="Recent"/> on load.</summary>
    [Id(1)]
    internal List<LegacyRetainedEvent>? LegacyRecent
    {
        get => null;
        set
        {
            if (value is not null)
            {
                Recent = Ordered(value.ConvertAll(e => e.ToRetained()));
            }
        }
    }

    private static Dictionary<string, ProfileField> Canonical(Dictionary<string, ProfileField> profile)
    {
        List<string>? odd = null;
        foreach (var (name, field) in profile)
        {
            if (!field.Value.IsCanonical())
            {
                (odd ??= []).Add(name);
            }
        }

        foreach (var name in odd ?? [])
        {
            profile[name] = profile[name] with { Value = profile[name].Value.Canonical() };
        }

        return profile;
    }

    private static List<RetainedEvent> Ordered(List<RetainedEvent> events)
    {
        events.Sort(CustomerBehaviour.Compare);
        return events;
    }

    /// <summary>SeenIds as stored before <see cref="FingerprintSet"/>: read into <see cref="SeenIds"/> on load.</summary>
    [Id(2)]
    internal HashSet<ulong>? LegacySeenIds
    {
        get => null;
        set
        {
            if (value is not null)
            {
                SeenIds = FingerprintSet.Of(value);
            }
        }
    }

    /// <summary>Daily as stored before <see cref="DayTotal"/>: read into <see cref="Daily"/> on load.</summary>
    [Id(6)]
    internal Dictionary<string, Dictionary<int, DailyBucket>>? LegacyDaily
    {
        get => null;
        set
        {
            if (value is not null)
            {
                Daily = new(value.Count, StringComparer.Ordinal);
                foreach (var (type, byDay) in value)
                {
                    Daily[Infrastructure.StringPool.Names.Intern(type)] =
                        [.. byDay.OrderBy(d => d.Key).Select(d => new DayTotal(d.Key, d.Value.Count, d.Value.Revenue))];
                }
            }
        }
    }
}
