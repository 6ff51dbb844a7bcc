using System.Collections.Immutable;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// One journal entry as the journal stores it: the customer's serialized entry, opaque here (the customer writes and
/// replays it), and the membership rows it decided, which the segment shards reload from. <see cref="Erased"/>: the
/// entry of an erasure, which first removes everything stored of the customer. <see cref="Changes"/>: how many membership
/// changes the payload holds (what the change feed reads): the rows' count, except for an erasure, whose leaves are told
/// by the feed but leave no row behind. <see cref="EventIds"/>: the fingerprints of the event ids the entry applied, which the
/// commit stores as the customer's claims on them (<see cref="EventClaims"/>).
/// </summary>
public sealed record JournalRecord(
    byte[] Payload, ImmutableArray<StoredMember> Members, bool Erased = false, int? ChangeCount = null, ImmutableArray<ulong> EventIds = default)
{
    public int Changes => ChangeCount ?? Members.Length;
}
