using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// One journal record of one customer: the events it applied and the membership rows it decided, in one
/// durable write. <see cref="Erased"/> marks a GDPR erasure: replay starts from nothing after it but the
/// customer's decision count (<see cref="Decisions"/>), so the shards' record of its last decisions stays behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] ImmutableArray<CustomerEvent> Events,
    [property: Id(1)] ImmutableArray<MemberRow> Members,
    [property: Id(2)] bool Erased,
    [property: Id(3)] long Decisions = 0)
{
    /// <summary>This entry as this build holds it, whichever build wrote it (see <see cref="CustomerEvent.Current"/>).</summary>
    public JournalEntry Current() =>
        Events.Any(e => e.IsLegacy) ? this with { Events = [.. Events.Select(e => e.Current())] } : this;
}
