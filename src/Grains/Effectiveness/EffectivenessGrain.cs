using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// Stats and flows, read and replayed per request (a stateless worker: any silo, several at once): the segment's
/// members now (<see cref="MemberRowReader"/>, written in the same commits as the journal), then its changes in the feed
/// (<see cref="FeedReplaySource"/>), then its customers' orders and purchase days (the silo's copy of the purchase index,
/// <see cref="PurchaseIndex"/>), handed to the pure replays (<see cref="StatsReplay"/>, <see cref="FlowReplay"/>).
/// The members are read before the feed: a customer whose change commits in between is judged by the feed, which has
/// it. Figures are of each segment's serving version: an edit starts a new version, whose backfill enters the members
/// it finds when it runs.
/// </summary>
[StatelessWorker]
public sealed class EffectivenessGrain(
    FeedReplaySource feed,
    MemberRowReader members,
    PurchaseIndex purchases,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, IEffectivenessGrain
{
    private string Store => this.GetPrimaryKeyString();

    public async Task<StatsResult> StatsAsync(StatsQuery query)
    {
        if (await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetAsync(query.Segment) is not { } info)
        {
            return new StatsResult(null, NotFound: $"no segment '{query.Segment}' in this store");
        }

        var now = time.GetUtcNow();
        if (StatsRange.Resolve(query.From, query.To, query.Interval, now, feed.Earliest(now), out var problem) is not { } range)
        {
            return new StatsResult(null, Problem: problem);
        }

        var definition = info.Definition;
        var current = await members.MembersAsync(Store, definition.Uid);
        var changes = (await feed.ReadAsync(Store, [definition.Uid]))[definition.Uid];
        var customers = current.Concat(changes.Select(c => c.CustomerId)).ToHashSet(StringComparer.Ordinal);
        var purchased = await PurchasesAsync(customers);
        var (intervals, conversion) = StatsReplay.Compute(
            range, now, current, changes, purchased, customer => Holdout.IsControl(Store, definition.Id, customer, definition.Holdout), query.WindowDays);
        return new StatsResult(new SegmentStats(definition.Id, definition.Version, definition.Holdout, range, now, intervals, conversion));
    }

    public async Task<FlowsResult> FlowsAsync(FlowsQuery query)
    {
        var catalog = await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetSnapshotAsync();
        var serving = catalog.Segments.Where(s => !s.Pending).ToDictionary(s => s.Id, StringComparer.Ordinal);
        if (query.Segments.FirstOrDefault(s => !serving.ContainsKey(s)) is { } unknown)
        {
            return new FlowsResult(null, NotFound: $"no segment '{unknown}' in this store");
        }

        var now = time.GetUtcNow();
        if (FlowRange.Resolve(query.From, query.To, now, feed.Earliest(now), out var problem) is not { } range)
        {
            return new FlowsResult(null, Problem: problem);
        }

        var versions = query.Segments.Select(s => serving[s].Uid).ToList();
        var changes = await feed.ReadAsync(Store, versions);
        var flows = FlowReplay.Compute(
            query.Segments, [.. query.Segments.Select(s => DwellFilter.Told(changes[serving[s].Uid], serving[s].MinDwell, now))], range);
        return new FlowsResult(new SegmentFlows(range, now, query.Segments, flows));
    }

    /// <summary>The purchases (orders and days) of the given customers (those without orders have none), taken from the index's current copy.</summary>
    private Task<Dictionary<string, PurchaseHistory>> PurchasesAsync(HashSet<string> customers) =>
        purchases.ReadAsync(Store, index =>
        {
            // The copy's histories are replaced, never changed, when a customer's row is: keeping them outside the read is safe.
            var bought = new Dictionary<string, PurchaseHistory>(StringComparer.Ordinal);
            foreach (var customer in customers)
            {
                if (index.TryGetValue(customer, out var buyer))
                {
                    bought[customer] = buyer.Purchases;
                }
            }

            return bought;
        });
}
