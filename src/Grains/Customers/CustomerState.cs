using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>Everything about one customer; written only by its <see cref="CustomerGrain"/>.</summary>
[GenerateSerializer, Alias("cg.CustomerState")]
public sealed class CustomerState
{
    [Id(0)] public Dictionary<string, ProfileField> Profile { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Detailed recent events, oldest first.</summary>
    [Id(1)] public List<RetainedEvent> Recent { get; set; } = [];

    /// <summary>Fingerprints of every event id applied, for exactly-once application of retries.</summary>
    [Id(2)] public HashSet<ulong> SeenIds { get; set; } = [];

    [Id(3)] public Dictionary<string, OrderRecord> Orders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Refunds keyed by their event id.</summary>
    [Id(4)] public Dictionary<string, RefundRecord> Refunds { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public Dictionary<string, long> TypeTotals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>type → day number (days since 0001-01-01 UTC) → totals.</summary>
    [Id(6)] public Dictionary<string, Dictionary<int, DailyBucket>> Daily { get; set; } = new(StringComparer.Ordinal);

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

    /// <summary>Whether the store's customer index knows this customer.</summary>
    [Id(12)] public bool Registered { get; set; }

    [Id(13)] public long EventCount { get; set; }

    /// <summary>The last journal entry this state includes; a snapshot plus the entries after it is the customer.</summary>
    [Id(14)] public long JournalSeq { get; set; }

    /// <summary>What this customer last added to its store's population statistics.</summary>
    [Id(15)] public Classification.CustomerStats? ReportedStats { get; set; }

    public bool Exists => EventCount > 0;
}
