using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// An in-memory index over durable rows: customers write their membership rows in their own journal
/// commit, so a shard only loads its rows on activation and then applies the changes customers send.
/// <para>
/// Changes are applied in each customer's decision order (<see cref="MembershipChange.Decision"/>): a change older
/// than the last one applied for its customer is dropped. For customers who left, the shard remembers the leave's
/// number (up to <see cref="LeavesRemembered"/> more leaves than it has members; the oldest are forgotten first), so
/// that a late join cannot bring them back. The rows keep the numbers too (a leave leaves a tombstone row), so a
/// shard loaded from its rows goes on rejecting what is older; a row written before rows had numbers has 0, and then
/// whatever comes first is applied.
/// </para>
/// </summary>
public sealed class SegmentShardGrain(MemberRowReader rows, MemberRowWriter rowWriter, ILogger<SegmentShardGrain> logger)
    : Grain, ISegmentShardGrain
{
    /// <summary>How many leaves a shard remembers beyond its member count.</summary>
    public const int LeavesRemembered = 8192;

    private readonly SortedSet<string> _order = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberEntry> _members = new(StringComparer.Ordinal);

    // Customers who left: the number of the decision that made them leave, and the order they left in.
    private readonly Dictionary<string, long> _left = new(StringComparer.Ordinal);
    private readonly Queue<(string CustomerId, long Decision)> _leftOrder = new();
    private Guid _uid;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Key: {store}/{segment}@{version key}/{shard} — one shard of one version of a segment.
        var key = this.GetPrimaryKeyString().Split('/');
        var (store, version, shard) = (key[0], key[1], int.Parse(key[2], System.Globalization.CultureInfo.InvariantCulture));
        _uid = Guid.ParseExact(version[(version.IndexOf('@') + 1)..], "N");
        var loaded = await rows.LoadShardAsync(store, _uid, shard);
        foreach (var row in loaded.Where(r => r.IsMember))
        {
            Set(row.CustomerId, new MemberEntry(row.At, row.Cause, row.Decision));
        }

        // Oldest first, after the members, so that the memory keeps what it would have kept had this activation
        // heard them: the newest LeavesRemembered beyond the member count.
        var leaves = loaded.Where(r => r is { IsMember: false, Decision: > 0 }).OrderBy(r => r.At).ToList();
        foreach (var leave in leaves)
        {
            RememberLeave(leave.CustomerId, leave.Decision);
        }

        // Tombstones older than the oldest leave remembered protect nothing: they go, so that a shard's rows stay
        // within its members plus LeavesRemembered as of each load (between loads they grow by at most one row per
        // customer who leaves). Rarely anything to do: only past that budget.
        var remembered = Math.Min(leaves.Count, LeavesRemembered + _members.Count);
        if (remembered < leaves.Count)
        {
            await rowWriter.PruneLeavesAsync(store, _uid, shard, leaves[^remembered].At);
        }
    }

    public Task PrepareAsync(Guid segmentUid)
    {
        if (_uid != segmentUid)
        {
            _uid = segmentUid;
            Forget();
        }

        return Task.CompletedTask;
    }

    public Task ApplyAsync(ImmutableArray<MembershipChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.SegmentUid != _uid)
            {
                logger.LogDebug("Ignoring a membership change for another incarnation of {Shard}", this.GetPrimaryKeyString());
            }
            else if (change.Decision != 0 && change.Decision < LastDecision(change.CustomerId))
            {
                logger.LogDebug("Ignoring a membership change older than the last one applied in {Shard}", this.GetPrimaryKeyString());
            }
            else if (change.IsMember)
            {
                _left.Remove(change.CustomerId);
                Set(change.CustomerId, new MemberEntry(change.EnteredAt, change.Cause, change.Decision));
            }
            else
            {
                if (_members.Remove(change.CustomerId))
                {
                    _order.Remove(change.CustomerId);
                }

                RememberLeave(change.CustomerId, change.Decision);
            }
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync()
    {
        _uid = Guid.Empty;
        Forget();
        return Task.CompletedTask;
    }

    public Task<long> CountAsync() => Task.FromResult((long)_members.Count);

    public Task<ImmutableArray<SegmentMember>> PageAsync(string? after, int limit) =>
        Task.FromResult(OrdinalPaging.After(_order, after).Take(limit).Select(id => ToMember(id, _members[id])).ToImmutableArray());

    public Task<SegmentMember?> GetMemberAsync(string customerId) =>
        Task.FromResult(_members.TryGetValue(customerId, out var entry) ? ToMember(customerId, entry) : null);

    private void Set(string customerId, MemberEntry entry)
    {
        _members[customerId] = entry;
        _order.Add(customerId);
    }

    /// <summary>The number of the last decision applied for this customer; 0 when none is known.</summary>
    private long LastDecision(string customerId) =>
        _members.TryGetValue(customerId, out var entry) ? entry.Decision : _left.GetValueOrDefault(customerId);

    private void RememberLeave(string customerId, long decision)
    {
        if (decision == 0)
        {
            return;
        }

        _left[customerId] = decision;
        _leftOrder.Enqueue((customerId, decision));
        while (_leftOrder.Count > LeavesRemembered + _members.Count)
        {
            // Forget the oldest leave, unless the customer left again since (that later leave is further back in the queue).
            var (oldest, number) = _leftOrder.Dequeue();
            if (_left.TryGetValue(oldest, out var current) && current == number)
            {
                _left.Remove(oldest);
            }
        }
    }

    private void Forget()
    {
        _members.Clear();
        _order.Clear();
        _left.Clear();
        _leftOrder.Clear();
    }

    private static SegmentMember ToMember(string id, MemberEntry entry) => new(id, entry.EnteredAt, entry.Cause);
}
