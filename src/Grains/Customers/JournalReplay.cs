using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Rebuilds a customer from its snapshot and the journal entries after it, pure. Every replayed membership change
/// goes back into the outbox: whether its shard heard of it before the previous activation ended is unknown, and
/// shards apply changes idempotently.
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

        foreach (var e in entry.Events)
        {
            CustomerBehaviour.Apply(state, e, behaviour.DefaultPhoneRegion);
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
        // A lift writes no event: the customer it leaves behind exists nowhere yet, as after the erasure.
        state.Registered = !entry.Erased && (state.Registered || !entry.Lifted);
        return state;
    }
}
