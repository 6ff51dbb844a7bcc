using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Segments;

public sealed class SegmentShardGrain : Grain, ISegmentShardGrain
{
    private readonly IPersistentState<SegmentShardState> _state;
    private readonly ILogger<SegmentShardGrain> _logger;
    private readonly CoalescingWriter _writer;
    private readonly SortedSet<string> _order = new(StringComparer.Ordinal);
    private Dictionary<string, MemberEntry> _members = new(StringComparer.Ordinal);
    private Guid _uid;

    public SegmentShardGrain(
        [PersistentState(StorageNames.ShardState, StorageNames.Provider)] IPersistentState<SegmentShardState> state,
        ILogger<SegmentShardGrain> logger)
    {
        _state = state;
        _logger = logger;
        _writer = new CoalescingWriter(WriteAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _uid = _state.State.SegmentUid;
        _members = new Dictionary<string, MemberEntry>(_state.State.Members, StringComparer.Ordinal);
        _order.UnionWith(_members.Keys);
        return Task.CompletedTask;
    }

    public Task PrepareAsync(Guid segmentUid)
    {
        if (_uid == segmentUid)
        {
            return Task.CompletedTask;
        }

        _uid = segmentUid;
        _members.Clear();
        _order.Clear();
        return _writer.WriteAsync();
    }

    public Task ApplyAsync(ImmutableArray<MembershipChange> changes)
    {
        var changed = false;
        foreach (var change in changes)
        {
            if (change.SegmentUid != _uid)
            {
                _logger.LogDebug("Ignoring a membership change for another incarnation of {Shard}", this.GetPrimaryKeyString());
                continue;
            }

            if (change.IsMember)
            {
                var entry = new MemberEntry(change.EnteredAt, change.Cause);
                if (!_members.TryGetValue(change.CustomerId, out var existing) || existing != entry)
                {
                    _members[change.CustomerId] = entry;
                    _order.Add(change.CustomerId);
                    changed = true;
                }
            }
            else if (_members.Remove(change.CustomerId))
            {
                _order.Remove(change.CustomerId);
                changed = true;
            }
        }

        return changed ? _writer.WriteAsync() : Task.CompletedTask;
    }

    public Task ClearAsync()
    {
        _uid = Guid.Empty;
        _members.Clear();
        _order.Clear();
        return _writer.WriteAsync();
    }

    public Task<long> CountAsync() => Task.FromResult((long)_members.Count);

    public Task<ImmutableArray<SegmentMember>> PageAsync(string? after, int limit)
    {
        var page = OrdinalPaging.After(_order, after).Take(limit).Select(id => ToMember(id, _members[id])).ToImmutableArray();
        return Task.FromResult(page);
    }

    public Task<SegmentMember?> GetMemberAsync(string customerId) =>
        Task.FromResult(_members.TryGetValue(customerId, out var entry) ? ToMember(customerId, entry) : null);

    private static SegmentMember ToMember(string id, MemberEntry entry) => new(id, entry.EnteredAt, entry.Cause);

    private Task WriteAsync()
    {
        // A fresh copy: the provider may serialise on another thread while interleaved calls change _members.
        _state.State = new SegmentShardState
        {
            SegmentUid = _uid,
            Members = new Dictionary<string, MemberEntry>(_members, StringComparer.Ordinal),
        };
        return _state.WriteStateAsync();
    }
}
