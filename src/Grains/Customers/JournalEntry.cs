using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// One journal record of one customer: the events it applied and the membership rows it decided, in one
/// durable write. <see cref="Erased"/> marks a GDPR erasure: replay starts from nothing after it but the
/// customer's decision count (<see cref="Decisions"/>), so the shards' record of its last decisions stays behind,
/// and, from an erasure of this build on, the suppression of its id since <see cref="Suppressed"/>: later events for it
/// are refused until the store lifts it, which an entry with <see cref="Lifted"/> records. <see cref="Identity"/>: the entry
/// of a merge or an unmerge, on either side.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] ImmutableArray<CustomerEvent> Events,
    [property: Id(1)] ImmutableArray<MemberRow> Members,
    [property: Id(2)] bool Erased,
    [property: Id(3)] long Decisions = 0,
    [property: Id(4)] DateTimeOffset? Suppressed = null,
    [property: Id(5)] bool Lifted = false,
    [property: Id(10)] IdentityChange? Identity = null)
{
    /// <summary>This entry as this build holds it, whichever build wrote it (see <see cref="CustomerEvent.Current"/>).</summary>
    public JournalEntry Current() =>
        Events.Any(e => e.IsLegacy) ? this with { Events = [.. Events.Select(e => e.Current())] } : this;
}
