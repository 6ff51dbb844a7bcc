using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's membership changes on their way to the segment shards. A change is staged with the journal write
/// that records it and becomes deliverable once that write has committed: the shards only ever hear durable
/// decisions. The undelivered ones live in the state's outbox (<see cref="CustomerState.Outbox"/>), so that a new
/// activation (from the snapshot and the replayed journal) sends again what may not have arrived; shards apply
/// changes idempotently and in each customer's decision order.
/// <para>Not thread-safe: it lives on its grain's scheduler.</para>
/// </summary>
public sealed class MembershipOutbox(IGrainFactory grains, string store, string customerId)
{
    // Outbox entries staged by a write of this activation, with that write's number; unstamped entries came from
    // before this activation (durable).
    private readonly Dictionary<string, (MembershipChange Change, long Write)> _staged = new(StringComparer.Ordinal);

    /// <summary>
    /// Records <paramref name="changes"/> as decided by write number <paramref name="write"/>; returns the rows that
    /// write stores for them: versions still in the catalog (others have no shards left).
    /// </summary>
    public ImmutableArray<MemberRow> Stage(CustomerState state, ImmutableArray<MembershipDecision> changes, long write, CompiledCatalog catalog)
    {
        if (changes.IsEmpty)
        {
            return [];
        }

        var rows = ImmutableArray.CreateBuilder<MemberRow>(changes.Length);
        foreach (var (key, change) in changes)
        {
            state.Outbox[key] = change;
            _staged[key] = (change, write);
            if (catalog.FindByKey(key) is { } segment)
            {
                rows.Add(new MemberRow(segment.Definition.Id, SegmentShards.Of(customerId, segment.Definition.Shards), change));
            }
        }

        return rows.DrainToImmutable();
    }

    /// <summary>
    /// The rows a write stores for another customer's changes, decided on its behalf (the other side of a merge or an
    /// unmerge, which that customer's own outbox sends once it hears the outcome).
    /// </summary>
    public static ImmutableArray<MemberRow> Rows(string customerId, ImmutableArray<MembershipDecision> changes, CompiledCatalog catalog)
    {
        var rows = ImmutableArray.CreateBuilder<MemberRow>(changes.Length);
        foreach (var (key, change) in changes)
        {
            if (catalog.FindByKey(key) is { } segment)
            {
                rows.Add(new MemberRow(segment.Definition.Id, SegmentShards.Of(customerId, segment.Definition.Shards), change));
            }
        }

        return rows.DrainToImmutable();
    }

    /// <summary>
    /// Sends the changes that writes up to <paramref name="through"/> made durable (and any from before this
    /// activation, unless <paramref name="trustUnstamped"/> is false: a failed decision step may have left some);
    /// forgets the ones delivered unless a later decision replaced them meanwhile. Each change goes to its own shard
    /// (one per segment version), in one call. <paramref name="catalog"/> is the one the request decided with: a
    /// version deleted since then gets its change anyway: a cleared shard ignores it, one reloaded from no rows holds it
    /// where no count or page reads it.
    /// </summary>
    public async Task FlushAsync(CustomerState state, long through, CompiledCatalog catalog, bool trustUnstamped = true)
    {
        var outbox = state.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }

        var sent = new List<(string Key, MembershipChange Change)>(outbox.Count);
        var sends = new List<Task>(outbox.Count);
        foreach (var (key, change) in outbox)
        {
            var deliverable = IsStaged(key, change, out var write) ? write <= through : trustUnstamped;
            if (!deliverable)
            {
                continue;
            }

            sent.Add((key, change));
            if (catalog.FindByKey(key) is { } segment)
            {
                var definition = segment.Definition;
                sends.Add(SegmentShards.Grain(grains, store, definition, SegmentShards.Of(customerId, definition.Shards)).ApplyAsync([change]));
            }
        }

        await Task.WhenAll(sends);

        // Delivered. A later replay may resend them; shards apply them idempotently.
        foreach (var (key, change) in sent)
        {
            if (outbox.TryGetValue(key, out var current) && ReferenceEquals(current, change))
            {
                outbox.Remove(key);
                _staged.Remove(key);
            }
        }

        // Usually empty from here until the next change: a resident customer need not keep the room it had.
        if (outbox.Count == 0)
        {
            outbox.TrimExcess();
        }
    }

    private bool IsStaged(string key, MembershipChange change, out long write)
    {
        var staged = _staged.TryGetValue(key, out var stamped) && ReferenceEquals(stamped.Change, change);
        write = staged ? stamped.Write : 0;
        return staged;
    }
}
