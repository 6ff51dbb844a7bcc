using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Rebuilds a customer from its snapshot and the journal entries after it, pure. Every replayed membership change
/// goes back into the outbox: whether its shard heard of it before the previous activation ended is unknown, and
/// shards apply changes idempotently. An entry of a merge or unmerge (<see cref="JournalEntry.Identity"/>) runs the same pure
/// steps the live merge ran (<see cref="CustomerMerge"/>); its membership changes follow as any entry's.
/// </summary>
public static class JournalReplay
{
    /// <summary>
    /// Applies one entry; returns the state to carry on with (a new one after an erasure). <paramref name="behaviour"/>
    /// is the deployment's, as when deciding: its default phone region reads profile values as they were read then.
    /// </summary>
    public static CustomerState Apply(CustomerState state, long seq, JournalEntry entry, BehaviourOptions behaviour)
    {
        if (entry.Erased)
        {
            state = new CustomerState { Decisions = Math.Max(state.Decisions, entry.Decisions), SuppressedAt = entry.Suppressed };
        }

        if (entry.Lifted)
        {
            state.SuppressedAt = null;
        }

        if (entry.Identity is { } identity)
        {
            state = Identity(state, identity);
        }

        foreach (var e in entry.Events)
        {
            if (CustomerBehaviour.Apply(state, e, behaviour.DefaultPhoneRegion))
            {
                CustomerMerge.ApplyToConstituent(state, e, behaviour.DefaultPhoneRegion);
            }
        }

        foreach (var row in entry.Members)
        {
            var change = row.Change;
            var key = change.SegmentUid.ToString("N");
            state.Decisions = Math.Max(state.Decisions, change.Decision);
            if (change.IsMember)
            {
                state.Memberships[key] = new Membership(change.SegmentUid, change.EnteredAt, change.Cause);
            }
            else
            {
                state.Memberships.Remove(key);
            }

            state.Outbox[key] = change;
        }

        state.JournalSeq = seq;
        // A lift writes no event: the customer it leaves behind exists nowhere yet, as after the erasure; a customer
        // merged into another has left the store's index.
        state.Registered = !entry.Erased && (state.Registered || !entry.Lifted) && state.MergedInto is null;
        return state;
    }

    private static CustomerState Identity(CustomerState state, IdentityChange identity) => identity.Kind switch
    {
        // All that is left of a customer merged away: where it forwards to, and its decision count (its leaves follow).
        IdentityChangeKind.MergedInto => new CustomerState { Decisions = state.Decisions, MergedInto = identity.Primary },
        IdentityChangeKind.Absorbed => CustomerMerge.Absorb(state, identity.Primary, identity.State!, identity.Secondary),
        IdentityChangeKind.Unmerged => Unmerged(state, identity),
        IdentityChangeKind.Released => CustomerMerge.Release(state, identity.Secondary).Primary,
        _ => state,
    };

    private static CustomerState Unmerged(CustomerState forwarder, IdentityChange identity)
    {
        var restored = CustomerMerge.Carried(identity.State!);
        restored.Decisions = forwarder.Decisions;
        return restored;
    }
}
