using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Ingest;

/// <summary>
/// Splits a request by customer and calls each customer once, after the store's event-id claims
/// (<see cref="EventIdsGrain"/>) have refused the events whose id another customer holds: an event id is unique per
/// store within the dedupe window, whatever customer it names (a customer's own retries it dedupes itself).
/// </summary>
[StatelessWorker]
public sealed class EventIngestGrain(IOptions<DedupeOptions> dedupe, EngineMetrics metrics) : Grain, IEventIngestGrain
{
    public async Task<RecordResult> RecordAsync(string store, ImmutableArray<CustomerEvent> events)
    {
        var refused = await RefusedAsync(store, events);

        // Grouped by hand (each group's array built at its size): this runs for every event that arrives.
        var groups = new Dictionary<string, ImmutableArray<CustomerEvent>.Builder>(StringComparer.Ordinal);
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            if (refused is not null && refused[i])
            {
                continue;
            }

            if (!groups.TryGetValue(e.CustomerId, out var group))
            {
                groups[e.CustomerId] = group = ImmutableArray.CreateBuilder<CustomerEvent>(1);
            }

            group.Add(e);
        }

        var calls = new Task<RecordResult>[groups.Count];
        var n = 0;
        foreach (var (customer, group) in groups)
        {
            calls[n++] = GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(store, customer)).RecordAsync(group.DrainToImmutable());
        }

        var results = await Task.WhenAll(calls);
        var sum = new RecordResult(0, refused?.Count(r => r) ?? 0);
        foreach (var result in results)
        {
            sum += result;
        }

        // Once per request: events refused for a suppressed customer count as rejected.
        metrics.Events(store, sum.Accepted, sum.Duplicates, sum.SuppressedIds.Length);
        return sum;
    }

    /// <summary>Which events another customer's claim refuses (null: none), one call per claims shard the request touches.</summary>
    private async Task<bool[]?> RefusedAsync(string store, ImmutableArray<CustomerEvent> events)
    {
        var shards = dedupe.Value.Shards;
        var ids = new ImmutableArray<ulong>.Builder?[shards];
        var owners = new ImmutableArray<ulong>.Builder?[shards];
        var positions = new List<int>?[shards];
        string? lastCustomer = null;
        ulong owner = 0;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            if (!ReferenceEquals(e.CustomerId, lastCustomer))
            {
                (lastCustomer, owner) = (e.CustomerId, IdHash.Of(e.CustomerId));
            }

            var id = CustomerBehaviour.Fingerprint(e.Id);
            var shard = (int)(id % (ulong)shards);
            (ids[shard] ??= ImmutableArray.CreateBuilder<ulong>()).Add(id);
            (owners[shard] ??= ImmutableArray.CreateBuilder<ulong>()).Add(owner);
            (positions[shard] ??= []).Add(i);
        }

        var calls = new List<(int Shard, Task<ImmutableArray<int>> Refused)>(shards);
        for (var shard = 0; shard < shards; shard++)
        {
            if (ids[shard] is { } shardIds)
            {
                calls.Add((shard, GrainFactory.GetGrain<IEventIdsGrain>(GrainKeys.EventIds(store, shard))
                    .ClaimAsync(shardIds.DrainToImmutable(), owners[shard]!.DrainToImmutable())));
            }
        }

        await Task.WhenAll(calls.Select(c => c.Refused));
        bool[]? refused = null;
        foreach (var (shard, call) in calls)
        {
            foreach (var at in call.Result)
            {
                (refused ??= new bool[events.Length])[positions[shard]![at]] = true;
            }
        }

        return refused;
    }
}
