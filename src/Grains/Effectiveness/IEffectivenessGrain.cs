using Orleans.Concurrency;

namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// A store's segment effectiveness (key: store id): a segment's stats — size over time, entries, exits, members'
/// purchases, conversion of treated members and the holdout — and the flows between segments, replayed per request from
/// the change feed, the member rows and the purchase index.
/// </summary>
[Alias("cg.IEffectivenessGrain")]
public interface IEffectivenessGrain : IGrainWithStringKey
{
    [Alias("Stats"), ReadOnly]
    Task<StatsResult> StatsAsync(StatsQuery query);

    [Alias("Flows"), ReadOnly]
    Task<FlowsResult> FlowsAsync(FlowsQuery query);
}
