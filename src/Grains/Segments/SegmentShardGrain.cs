using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// An in-memory index over durable rows: customers write their membership rows in their own journal
/// commit, so a shard only loads its rows on activation and then applies the changes customers send.
/// </summary>
public sealed class SegmentShardGrain(StoreQueries queries, ILogger<SegmentShardGrain> logger)
    : Grain, ISegmentShardGrain
{
    private readonly SortedSet<string> _order = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberEntry> _members = new(StringComparer.Ordinal);
    private Guid _uid;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Key: {store}/{segment}@{version key}/{shard} — one shard of one version of a segment.
        var key = this.GetPrimaryKeyString().Split('/');
        var (store, version, shard) = (key[0], key[1], int.Parse(key[2], System.Globalization.CultureInfo.InvariantCulture));
        _uid = Guid.ParseExact(version[(version.IndexOf('@') + 1)..], "N");
        foreach (var member in await queries.LoadShardAsync(store, _uid, shard))
        {
            Set(member.CustomerId, new MemberEntry(member.EnteredAt, member.Cause));
        }
    }

    public Task PrepareAsync(Guid segmentUid)
    {
        if (_uid != segmentUid)
        {
            _uid = segmentUid;
            _members.Clear();
            _order.Clear();
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
            else if (change.IsMember)
            {
                Set(change.CustomerId, new MemberEntry(change.EnteredAt, change.Cause));
            }
            else if (_members.Remove(change.CustomerId))
            {
                _order.Remove(change.CustomerId);
            }
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync()
    {
        _uid = Guid.Empty;
        _members.Clear();
        _order.Clear();
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

    private static SegmentMember ToMember(string id, MemberEntry entry) => new(id, entry.EnteredAt, entry.Cause);
}
