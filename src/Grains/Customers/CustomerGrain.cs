using System.Collections.Immutable;
using CustomerGrains.Grains.Directories;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Customers;

public sealed class CustomerGrain(
    [PersistentState(StorageNames.CustomerState, StorageNames.Provider)] IPersistentState<CustomerState> state,
    SegmentRuleCache segments,
    TimeProvider time,
    IOptions<BehaviourOptions> options) : Grain, ICustomerGrain
{
    private string _store = "";
    private string _customerId = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_store, _customerId) = GrainKeys.ParseCustomer(this.GetPrimaryKeyString());

        // Changes saved by a previous activation that crashed before its shards confirmed them.
        if (state.State.Outbox.Count > 0)
        {
            await FlushOutboxAsync();
        }
    }

    public async Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events)
    {
        var s = state.State;
        CustomerEvent? newest = null;
        var accepted = 0;
        foreach (var e in events)
        {
            if (CustomerBehaviour.Apply(s, e))
            {
                accepted++;
                if (newest is null || e.Timestamp > newest.Timestamp)
                {
                    newest = e;
                }
            }
        }

        var result = new RecordResult(accepted, events.Length - accepted);
        if (newest is null)
        {
            // All seen before: a retry. Make sure what the first attempt decided reached the shards.
            await FlushOutboxAsync();
            return result;
        }

        var now = time.GetUtcNow();
        CustomerBehaviour.Prune(s, now, options.Value);
        if (!s.Registered)
        {
            await CustomerDirectory.ShardOf(GrainFactory, _store, _customerId).AddAsync(_customerId);
            s.Registered = true;
        }

        var catalog = await segments.GetAsync(_store);
        SegmentEvaluation.Evaluate(s, _customerId, catalog, now, _ => $"event:{newest.Id}");
        await WriteOrForgetAsync();
        await FlushOutboxAsync();
        return result;
    }

    public async Task ReevaluateAsync(long catalogVersion)
    {
        if (!state.State.Exists)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store, catalogVersion);
        var changes = SegmentEvaluation.Evaluate(
            state.State, _customerId, catalog, time.GetUtcNow(), d => $"segment:{d.Id}:v{d.Version}");
        if (changes > 0)
        {
            await WriteOrForgetAsync();
        }

        await FlushOutboxAsync();
    }

    public async Task<CustomerView?> GetViewAsync()
    {
        var s = state.State;
        if (!s.Exists)
        {
            return null;
        }

        var catalog = await segments.GetAsync(_store);
        var memberOf = catalog.Segments
            .Where(c => s.Memberships.TryGetValue(c.Definition.Id, out var m) && m.SegmentUid == c.Definition.Uid)
            .Select(c => (c.Definition.Id, Membership: s.Memberships[c.Definition.Id]))
            .Select(x => new CustomerSegment(x.Id, x.Membership.EnteredAt, x.Membership.Cause))
            .ToImmutableArray();
        return new CustomerView(
            _customerId,
            s.Profile.ToImmutableDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
            CustomerBehaviour.ComputeTraits(s, time.GetUtcNow()),
            memberOf);
    }

    public async Task<bool> EraseAsync()
    {
        var s = state.State;
        if (!s.Exists && !s.Registered)
        {
            return false;
        }

        var now = time.GetUtcNow();
        foreach (var (segmentId, membership) in s.Memberships)
        {
            s.Outbox[segmentId] = new MembershipChange(_customerId, membership.SegmentUid, false, now, "erased");
        }

        // Saved first, so that a crash part-way still takes the customer out of its segments on reactivation.
        s.Memberships.Clear();
        await WriteOrForgetAsync();
        await FlushOutboxAsync();
        await CustomerDirectory.ShardOf(GrainFactory, _store, _customerId).RemoveAsync(_customerId);
        await state.ClearStateAsync();
        state.State = new CustomerState();
        DeactivateOnIdle();
        return true;
    }

    /// <summary>
    /// Writes the state; if that fails, drops this activation so the in-memory changes (seen ids above all)
    /// cannot make a retry look like a duplicate of something that was never stored.
    /// </summary>
    private async Task WriteOrForgetAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task FlushOutboxAsync()
    {
        var outbox = state.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store);
        var sends = new List<Task>(outbox.Count);
        foreach (var (segmentId, change) in outbox)
        {
            // A segment deleted since the change was decided has no shards left to tell.
            if (catalog.Find(segmentId) is not { } segment || segment.Definition.Uid != change.SegmentUid)
            {
                continue;
            }

            var shard = GrainFactory.GetGrain<ISegmentShardGrain>(
                GrainKeys.SegmentShard(_store, segmentId, SegmentShards.Of(_customerId, segment.Definition.Shards)));
            sends.Add(shard.ApplyAsync([change]));
        }

        await Task.WhenAll(sends);

        // Delivered. The stored copy may still list them until the next write; resending them is harmless.
        outbox.Clear();
    }
}
