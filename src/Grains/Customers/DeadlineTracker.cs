using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// What the deadline shard and the stored row must hear of a customer's next deadline over every segment, if
/// anything. They hold a lower bound of the truth: a deadline that moved later (or went away) is left where it is
/// until it fires; that early wake finds nothing due and registers the real one. Activity moves some deadlines later
/// with every event (each visit pushes <c>days_since(last_seen) &lt; 7</c> back by a visit's worth), and those touches
/// then write no deadline and make no call to the shard. Per activation: unknown until it first decides.
/// </summary>
public sealed class DeadlineTracker(string customerId)
{
    // The deadline last queued (at or before the true next one), once this activation has decided one.
    private DateTimeOffset? _deadline;
    private bool _known;

    /// <summary>The change to record for the newly decided <paramref name="next"/> deadline; null when the held one still serves.</summary>
    public DeadlineChange? Change(DateTimeOffset? next, DateTimeOffset now)
    {
        if (_known && (next == _deadline || (_deadline is { } held && held > now && (next is null || next > held))))
        {
            return null;
        }

        _deadline = next;
        _known = true;
        return new DeadlineChange(DeadlineShards.Of(customerId), next);
    }

    /// <summary>The shard has dropped the held deadline (it fired, or the customer was erased): the next one is registered again.</summary>
    public void Forget() => _known = false;

    /// <summary>Erasure: no deadline, whatever was held.</summary>
    public DeadlineChange Clear()
    {
        _deadline = null;
        _known = true;
        return new DeadlineChange(DeadlineShards.Of(customerId), null);
    }
}
