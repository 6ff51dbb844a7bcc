using Orleans.Concurrency;
using Orleans.Placement;

namespace CustomerGrains.Grains.Segments;

[RandomPlacement, Reentrant]
public sealed class SegmentCacheGrain(SegmentRuleCache cache) : Grain, ISegmentCacheGrain
{
    public Task InvalidateAsync(string store, long catalogVersion)
    {
        cache.Invalidate(store, catalogVersion);
        return Task.CompletedTask;
    }
}
